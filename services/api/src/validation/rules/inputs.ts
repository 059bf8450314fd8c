import { DataType, enumName, InputDataObjectType, isEnumValue } from '@msched/airavata-thrift';
import { isBlank, LaunchRule } from '../rule';

function isUri(v: string): boolean {
  if (v.startsWith('/')) return true;
  try {
    return new URL(v).protocol.length > 1;
  } catch {
    return false;
  }
}

/** Why `value` is not a valid value of DataType `type`, or undefined when it is. */
export function valueProblem(type: number, value: string): string | undefined {
  switch (type) {
    case DataType.INTEGER:
      return /^[+-]?\d+$/.test(value.trim()) && Number.isSafeInteger(Number(value)) ? undefined : 'is not an integer';
    case DataType.FLOAT:
      return value.trim() !== '' && Number.isFinite(Number(value)) ? undefined : 'is not a number';
    case DataType.URI:
      return isUri(value.trim()) ? undefined : 'is not a URI (scheme://... or an absolute path)';
    case DataType.URI_COLLECTION: {
      const bad = value.split(',').map((s) => s.trim()).filter((s) => !isUri(s));
      return bad.length === 0 ? undefined : `holds ${bad.length === 1 ? 'an item that is' : 'items that are'} not a URI: ${bad.map((b) => JSON.stringify(b)).join(', ')}`;
    }
    default:
      return undefined;
  }
}

function checkInput(input: InputDataObjectType | null, i: number, seen: Set<string>): string[] {
  if (!input || isBlank(input.name)) return [`experimentInputs[${i}] has no name`];
  const label = `input "${input.name}"`;
  if (seen.has(input.name)) return [`${label} appears twice`];
  seen.add(input.name);
  const type = input.type ?? DataType.STRING;
  if (!isEnumValue(DataType, type)) return [`${label} has type ${type}, which is not a DataType`];
  if (type === DataType.STDOUT || type === DataType.STDERR) return [`${label} has type ${enumName(DataType, type)}, which only outputs may have`];
  const value = input.value ?? '';
  if (value === '') return input.isRequired ? [`${label} is required but has no value`] : [];
  const problem = valueProblem(type, value);
  return problem ? [`${label} is typed ${enumName(DataType, type)} but its value ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value)} ${problem}`] : [];
}

export const inputsRule: LaunchRule = {
  name: 'inputs',
  check(e) {
    if (e.experimentInputs === null || e.experimentInputs === undefined) return [];
    const seen = new Set<string>();
    return e.experimentInputs.flatMap((input, i) => checkInput(input, i, seen));
  },
};
