// Package entry: our LabelingInterface and Label Studio's embedding entry point, LabelStudio.
import { LabelingInterface } from './labeling.js';
import { LabelStudio, Annotation } from './label-studio.js';

export { LabelingInterface, LabelStudio, Annotation };
