// An error in the model found while running it (an index out of range, a division by zero, a value that is
// not a lock instance): the machine turns it into an assertion finding of the thread that ran into it.
export class ModelRuntimeError extends Error {}
