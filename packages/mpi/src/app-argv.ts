/**
 * The application's argv from an Airavata experiment's inputs (InputDataObjectType). Every value is
 * one literal argv element: nothing is ever joined into a shell string, so `; rm -rf /` or `$(...)`
 * reach the program exactly as typed.
 */
export type InputDataType = 'STRING' | 'INTEGER' | 'FLOAT' | 'URI' | 'URI_COLLECTION' | 'STDOUT' | 'STDERR';

/** Thrift enum order of DataType (no explicit values in Airavata's IDL, so 0-based). */
const DATA_TYPES: readonly InputDataType[] = ['STRING', 'INTEGER', 'FLOAT', 'URI', 'URI_COLLECTION', 'STDOUT', 'STDERR'];

/** The fields of InputDataObjectType this module reads; Thrift objects fit as they are. */
export interface ApplicationInput {
  readonly name: string;
  readonly value?: string | null;
  readonly type?: InputDataType | number | null;
  readonly applicationArgument?: string | null;
  readonly standardInput?: boolean | null;
  readonly inputOrder?: number | null;
  readonly isRequired?: boolean | null;
  readonly requiredToAddedToCommandLine?: boolean | null;
}

/** Maps a URI input to the sandbox-relative name of the file staged for it. */
export type StagedName = (uri: string, input: ApplicationInput) => string;

export class ApplicationInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApplicationInputError';
  }
}

function typeOf(input: ApplicationInput): InputDataType {
  const t = input.type;
  if (t === undefined || t === null) return 'STRING';
  if (typeof t === 'number') {
    const name = DATA_TYPES[t];
    if (!name) throw new ApplicationInputError(`input ${input.name}: unknown DataType ${t}`);
    return name;
  }
  if (!DATA_TYPES.includes(t)) throw new ApplicationInputError(`input ${input.name}: unknown DataType ${String(t)}`);
  return t;
}

const hasValue = (i: ApplicationInput): i is ApplicationInput & { value: string } => typeof i.value === 'string' && i.value !== '';

/** Every required input must carry a value; reported all at once. */
function checkRequired(inputs: readonly ApplicationInput[]): void {
  const missing = inputs.filter((i) => i.isRequired && !hasValue(i)).map((i) => i.name);
  if (missing.length) throw new ApplicationInputError(`required input(s) without a value: ${missing.join(', ')}`);
}

/** The argv elements one input's value contributes; URI collections are comma-separated in Airavata. */
function valuesOf(input: ApplicationInput & { value: string }, stagedName: StagedName): string[] {
  const type = typeOf(input);
  if (type === 'URI') return [stagedName(input.value, input)];
  if (type === 'URI_COLLECTION') {
    return input.value.split(',').map((u) => u.trim()).filter((u) => u.length > 0).map((u) => stagedName(u, input));
  }
  return [input.value];
}

/**
 * Orders by inputOrder; inputs without one come after the ordered ones, each group keeping the
 * order it was given in.
 */
function byInputOrder(inputs: readonly ApplicationInput[]): ApplicationInput[] {
  const key = (i: ApplicationInput) => (typeof i.inputOrder === 'number' ? i.inputOrder : Number.POSITIVE_INFINITY);
  return inputs.map((input, at) => ({ input, at })).sort((a, b) => key(a.input) - key(b.input) || a.at - b.at).map((x) => x.input);
}

/**
 * argv = [executable, ...for each input marked requiredToAddedToCommandLine, in inputOrder:
 * applicationArgument (when set, surrounding blanks dropped as a shell would), then its value(s)].
 * Inputs without a value add nothing, not even their flag. Standard-input inputs are not arguments
 * (see standardInputOf).
 */
export function buildApplicationArgv(executable: string, inputs: readonly ApplicationInput[], stagedName: StagedName): string[] {
  if (!executable) throw new ApplicationInputError('the application has no executable');
  checkRequired(inputs);
  const argv = [executable];
  for (const input of byInputOrder(inputs)) {
    if (!input.requiredToAddedToCommandLine || input.standardInput || !hasValue(input)) continue;
    const flag = input.applicationArgument?.trim();
    if (flag) argv.push(flag);
    argv.push(...valuesOf(input, stagedName));
  }
  for (const a of argv) if (a.includes('\0')) throw new ApplicationInputError('an argument contains a NUL character, which no program can receive');
  return argv;
}

/** The sandbox-relative file to feed to the program's standard input, if an input asks for it. */
export function standardInputOf(inputs: readonly ApplicationInput[], stagedName: StagedName): string | undefined {
  const stdin = inputs.filter((i) => i.standardInput && hasValue(i));
  if (stdin.length > 1) throw new ApplicationInputError(`only one input can be standard input: ${stdin.map((i) => i.name).join(', ')}`);
  const [input] = stdin;
  if (!input || !hasValue(input)) return undefined;
  const type = typeOf(input);
  return type === 'URI' ? stagedName(input.value, input) : input.value;
}

/** A StagedName for inputs staged under the last segment of their URI (decoded). */
export function uriFileName(uri: string): string {
  let path = uri;
  try {
    path = decodeURIComponent(new URL(uri).pathname);
  } catch {
    // Not a URL: a plain path.
  }
  const name = path.split('/').filter((s) => s.length > 0).pop();
  if (!name || name === '.' || name === '..') throw new ApplicationInputError(`cannot derive a file name from ${JSON.stringify(uri)}`);
  return name;
}
