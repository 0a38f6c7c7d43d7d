// Type declarations for labelstudio-labeling (hand-written; the package is plain ES modules).

/** One item of a result in Label Studio's JSON shape. */
export interface ResultItem {
  id?: string;
  from_name: string;
  to_name: string;
  type: string;
  value: Record<string, unknown>;
  origin?: 'manual' | 'prediction' | 'prediction-changed' | string;
  original_width?: number;
  original_height?: number;
  image_rotation?: number;
  original_length?: number;
  parentID?: string;
  readonly?: boolean;
  score?: number;
  [extra: string]: unknown;
}

/** A relation between two regions (no `id`). */
export interface RelationItem {
  from_id: string;
  to_id: string;
  type: 'relation';
  direction: 'right' | 'left' | 'bi';
  labels?: string[];
}

export type Result = Array<ResultItem | RelationItem>;

export interface Task {
  id?: number | string | null;
  /** `value="$key"` reads `data.key`; Label Studio also accepts the data as a JSON string. */
  data: Record<string, unknown> | string;
}

export interface Completion {
  id?: number | string | null;
  result: Result;
  [extra: string]: unknown;
}

export interface Prediction {
  id?: number | string;
  result: Result;
  model_version?: string;
  score?: number;
  [extra: string]: unknown;
}

export interface FinishMeta {
  /** Seconds since the task or completion was loaded. */
  lead_time: number;
  task: Task;
  completion: Completion | null;
}

export interface ConfigProblem {
  control: string;
  message: string;
}

export interface LabelingInterfaceOptions {
  /** The XML labeling config. */
  config: string;
  task?: Task;
  /** The first is loaded for editing (the button becomes Update). */
  completions?: Completion[];
  /** Without a completion, the first prediction is loaded as editable pre-annotations. */
  predictions?: Prediction[];
  user?: unknown;
  readOnly?: boolean;
  /** Personal hotkeys by Label Studio's action names (`annotation:submit`, `annotation:undo`,
   * `annotation:redo`, `region:delete`, `help`): a combo, or `{key, active}` (`active: false` turns it off). */
  customHotkeys?: Record<string, string | { key?: string; active?: boolean }>;
  onSubmit?(result: Result, meta: FinishMeta): void;
  onUpdate?(result: Result, meta: FinishMeta): void;
  /** The Skip button is shown only when this is given. */
  onSkip?(meta: { lead_time: number; task: Task }): void;
  /** After every change; `result` is null for pure selection changes. */
  onChange?(result: Result | null, change: { type: string; [key: string]: unknown }): void;
  /** Items saved for the project earlier (Taxonomy with isEditable), by control name: paths,
   * shown in the tree as if the config listed them. */
  userLabels?: Record<string, string[][]>;
  /** On Submit/Update, the items the annotator added in this task (Taxonomy with isEditable),
   * e.g. to save them for the project (Label Studio's POST /api/labels). Not called when none. */
  onAddLabels?(items: { from_name: string; value: string[] }[]): void;
  interactive?: {
    onRegionSeed?(item: ResultItem): Result | { result: Result } | void | Promise<Result | { result: Result } | void>;
  };
  /** `<Chat llm="...">`: the next message of the conversation (e.g. from the project's ML backend). */
  chat?: {
    complete?(request: { name: string; llm: string; messages: { role: string; content: string }[] }): Promise<{ role?: string; content: string }>;
  };
}

/** Our own entry point. */
export class LabelingInterface {
  constructor(element: HTMLElement, options: LabelingInterfaceOptions);
  readonly el: HTMLElement;
  readonly task: Task;
  readonly user: unknown;
  /** Set when the config could not be read (a `.ls-error` message is shown instead). */
  readonly error?: Error;
  getResult(): Result;
  loadCompletion(completion: Completion | Result): void;
  loadPrediction(prediction: Prediction | Result): void;
  validate(): ConfigProblem[];
  submit(): boolean;
  skip(): void;
  undo(): void;
  redo(): void;
  destroy(): void;
}

// ---- Label Studio's embedding entry point ----

/** Label Studio's interface switches; `submit`, `update`, `skip` and `controls` change the buttons. */
export type LabelStudioInterface =
  | 'panel'
  | 'update'
  | 'submit'
  | 'skip'
  | 'controls'
  | 'side-column'
  | 'annotations:menu'
  | 'annotations:add-new'
  | 'annotations:delete'
  | 'predictions:menu'
  | 'infobar'
  | 'topbar'
  | 'instruction'
  | 'edit-history'
  | (string & {});

/** An annotation as Label Studio's front end passes it to callbacks. */
export class Annotation {
  /** Local id (a string); for annotations loaded from the task, the task annotation's id. */
  readonly id: string;
  /** Primary key on the server, once saved (`null` for a new annotation). */
  pk: string | null;
  readonly type: 'annotation' | 'prediction';
  userGenerate: boolean;
  sentUserGenerate: boolean;
  /** Seconds spent on it so far. */
  leadTime: number;
  ground_truth: boolean;
  was_cancelled: boolean;
  draftId: number;
  readonly exists: boolean;
  readonly selected: boolean;
  /** The result list in Label Studio's JSON shape. */
  serializeAnnotation(): Result;
  /** Mark it saved under this key, so the next submit is an update. */
  updatePersonalKey(pk: string | number | null): void;
  toJSON(): { id: string; pk: string | null; result: Result; leadTime: number; userGenerate: boolean };
}

export interface AnnotationStore {
  annotations: Annotation[];
  predictions: Annotation[];
  selected: Annotation | null;
  addAnnotation(options?: { userGenerate?: boolean; id?: number | string; result?: Result }): Annotation;
  addPrediction(options?: Prediction): Annotation;
  selectAnnotation(id: string | number): Annotation | null;
  addAnnotationFromPrediction(prediction: Annotation | Prediction): Annotation;
}

/** What Label Studio passes as `ls` to every callback (its app store). */
export interface LabelStudioStore {
  annotationStore: AnnotationStore;
  /** `data` is a JSON string as in Label Studio; `dataObj` the parsed object. */
  task: { id?: number | string | null; data: string; dataObj: Record<string, unknown>; [extra: string]: unknown };
  user: LabelStudioUser | null;
  interfaces: LabelStudioInterface[];
  settings: Record<string, unknown>;
  hasInterface(name: LabelStudioInterface): boolean;
  submitAnnotation(): boolean;
  updateAnnotation(extra?: unknown): boolean;
  skipTask(extra?: Record<string, unknown>): void;
}

export interface LabelStudioUser {
  pk?: number;
  id?: number;
  firstName?: string;
  lastName?: string;
  email?: string;
  [extra: string]: unknown;
}

export interface LabelStudioTask {
  id?: number | string;
  data: Record<string, unknown> | string;
  annotations?: Completion[];
  /** Label Studio's old name for `annotations`. */
  completions?: Completion[];
  predictions?: Prediction[];
  [extra: string]: unknown;
}

export interface LabelStudioOptions {
  config: string;
  task: LabelStudioTask;
  /** Defaults to all; without `skip` there is no Skip button, without `controls` no buttons. */
  interfaces?: LabelStudioInterface[];
  user?: LabelStudioUser;
  settings?: Record<string, unknown>;
  readOnly?: boolean;
  onLabelStudioLoad?(ls: LabelStudioStore): void;
  onSubmitAnnotation?(ls: LabelStudioStore, annotation: Annotation): void;
  onUpdateAnnotation?(ls: LabelStudioStore, annotation: Annotation, extra?: unknown): void;
  onSkipTask?(ls: LabelStudioStore, extra?: Record<string, unknown>): void;
  onSelectAnnotation?(annotation: Annotation, previous: Annotation | null, ls: LabelStudioStore): void;
  [unsupported: string]: unknown;
}

export type LabelStudioEvent = 'labelStudioLoad' | 'submitAnnotation' | 'updateAnnotation' | 'skipTask' | 'selectAnnotation';

/** Label Studio's embedding entry point: `new LabelStudio("element-id" | element, options)`. */
export class LabelStudio {
  constructor(root: string | HTMLElement, options: LabelStudioOptions);
  readonly root: HTMLElement;
  readonly options: LabelStudioOptions;
  /** The app store callbacks receive as `ls`. */
  readonly store: LabelStudioStore;
  /** The interface underneath. */
  readonly ui: LabelingInterface;
  on(event: LabelStudioEvent, handler: (...args: any[]) => void): this;
  off(event: LabelStudioEvent, handler?: (...args: any[]) => void): this;
  destroy(): void;
}

declare global {
  interface Window {
    /** Defined by dist/labeling.bundle.js (the classic script). */
    LabelingInterface: typeof LabelingInterface;
    LabelStudio: typeof LabelStudio;
  }
}
