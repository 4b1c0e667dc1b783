import "./lab-app.js";
