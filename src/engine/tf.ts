/**
 * The one import of tfjs in quirklab: the union package registers every gradient (tfjs-core + backend-cpu alone
 * do not in CommonJS), and PROD mode silences the "install tfjs-node" banner so stdout stays clean for --json.
 */
import * as tf from "@tensorflow/tfjs";

tf.env().set("PROD", true);

export { tf };
export type Tensor = import("@tensorflow/tfjs").Tensor;
export type Variable = import("@tensorflow/tfjs").Variable;
