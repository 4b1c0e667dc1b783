/** Config pieces the initialization experiments share. */
import { z } from "zod";
import { parseInit } from "../../models/init.js";

export const initText = z.string().refine((t) => {
  try {
    parseInit(t);
    return true;
  } catch {
    return false;
  }
}, 'expected an initializer: he, xavier, standard (each may be scaled, e.g. he*3), zero or normal(<sigma>)');
