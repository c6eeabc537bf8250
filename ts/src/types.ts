/**
 * Names for the API's objects. Every type here is an alias of the types generated from
 * `openapi/replicate.openapi.yaml` (generated/typescript/openapi.ts): none is written by hand,
 * so a schema change shows up as a compile error in the client rather than as drift.
 */
import type { components, operations, paths } from "../../generated/typescript/openapi.js";

export type { components, operations, paths };

type Schemas = components["schemas"];

export type Prediction = Schemas["Prediction"];
export type PredictionStatus = Schemas["PredictionStatus"];
export type PredictionPage = Schemas["PredictionPage"];
export type PredictionRequest = Schemas["PredictionRequest"];
export type VersionPredictionRequest = Schemas["VersionPredictionRequest"];
export type WebhookEventType = Schemas["WebhookEventType"];
export type Training = Schemas["Training"];
export type TrainingPage = Schemas["TrainingPage"];
export type TrainingRequest = Schemas["TrainingRequest"];
export type Model = Schemas["Model"];
export type ModelPage = Schemas["ModelPage"];
export type ModelVersion = Schemas["ModelVersion"];
export type Deployment = Schemas["Deployment"];
export type Account = Schemas["Account"];
export type Problem = Schemas["Problem"];
export type InvalidField = Schemas["InvalidField"];
export type WebhookSigningSecret = Schemas["WebhookSigningSecret"];
export type StreamDoneData = Schemas["StreamDoneData"];
export type FileObject = Schemas["FileObject"];
export type FilePage = Schemas["FilePage"];
export type FileUploadForm = Schemas["FileUploadForm"];

/** Any `{next, previous, results}` envelope of the API. */
export interface Page<T> {
  next: string | null;
  previous: string | null;
  results: T[];
}

/** Statuses after which a prediction or training never changes again. */
export const TERMINAL_STATUSES: ReadonlySet<PredictionStatus> = new Set<PredictionStatus>([
  "succeeded",
  "failed",
  "canceled",
  "aborted",
]);

export function isTerminal(status: string | undefined | null): boolean {
  return status != null && TERMINAL_STATUSES.has(status as PredictionStatus);
}
