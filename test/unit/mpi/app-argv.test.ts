import assert from 'node:assert/strict';
import { ApplicationInputError, buildApplicationArgv, standardInputOf, uriFileName, type ApplicationInput } from '@msched/mpi';

const staged = (uri: string) => `staged/${uriFileName(uri)}`;

describe('mpi: application argv from experiment inputs', () => {
  it('adds only inputs marked requiredToAddedToCommandLine, in inputOrder, flag before value', () => {
    const inputs: ApplicationInput[] = [
      { name: 'steps', value: '100', type: 'INTEGER', applicationArgument: '-n', inputOrder: 2, requiredToAddedToCommandLine: true },
      { name: 'mode', value: 'fast', inputOrder: 1, requiredToAddedToCommandLine: true },
      { name: 'label', value: 'not passed', inputOrder: 0, requiredToAddedToCommandLine: false },
      { name: 'unordered', value: 'last', requiredToAddedToCommandLine: true },
    ];
    assert.deepEqual(buildApplicationArgv('/opt/app/bin/sim', inputs, staged), ['/opt/app/bin/sim', 'fast', '-n', '100', 'last']);
  });

  it('keeps shell syntax in values as literal argv elements', () => {
    const evil = ['; rm -rf /', '$(touch /tmp/x)', '`id`', 'a && b', '"quoted" \'single\'', '*', '$HOME', '> /etc/passwd'];
    const inputs = evil.map((value, i): ApplicationInput => ({ name: `in${i}`, value, inputOrder: i, requiredToAddedToCommandLine: true }));
    assert.deepEqual(buildApplicationArgv('prog', inputs, staged), ['prog', ...evil]);
  });

  it('orders equal inputOrder values as given (stable)', () => {
    const inputs: ApplicationInput[] = ['a', 'b', 'c'].map((value) => ({ name: value, value, inputOrder: 1, requiredToAddedToCommandLine: true }));
    assert.deepEqual(buildApplicationArgv('p', inputs, staged), ['p', 'a', 'b', 'c']);
  });

  it('maps URI inputs (and each URI of a collection) to the staged file name', () => {
    const inputs: ApplicationInput[] = [
      { name: 'mesh', value: 'sftp://storage/data/mesh%201.msh', type: 'URI', applicationArgument: '--mesh', inputOrder: 1, requiredToAddedToCommandLine: true },
      { name: 'parts', value: 'file:///a/p1.dat, file:///b/p2.dat', type: 4, inputOrder: 2, requiredToAddedToCommandLine: true },
    ];
    assert.deepEqual(buildApplicationArgv('p', inputs, staged), ['p', '--mesh', 'staged/mesh 1.msh', 'staged/p1.dat', 'staged/p2.dat']);
  });

  it('accepts Thrift numeric DataType values and trims the flag but never the value', () => {
    const inputs: ApplicationInput[] = [{ name: 'x', value: '  spaced  ', type: 0, applicationArgument: ' -x ', inputOrder: 1, requiredToAddedToCommandLine: true }];
    assert.deepEqual(buildApplicationArgv('p', inputs, staged), ['p', '-x', '  spaced  ']);
  });

  it('leaves out an optional input without a value, flag included', () => {
    const inputs: ApplicationInput[] = [{ name: 'opt', value: '', applicationArgument: '--opt', inputOrder: 1, requiredToAddedToCommandLine: true }];
    assert.deepEqual(buildApplicationArgv('p', inputs, staged), ['p']);
  });

  it('names every required input that has no value', () => {
    const inputs: ApplicationInput[] = [
      { name: 'a', isRequired: true, requiredToAddedToCommandLine: true },
      { name: 'b', value: null, isRequired: true },
      { name: 'c', value: 'ok', isRequired: true },
    ];
    assert.throws(() => buildApplicationArgv('p', inputs, staged), (e: Error) => e instanceof ApplicationInputError && /a, b$/.test(e.message));
  });

  it('refuses an unknown DataType and an empty executable', () => {
    assert.throws(() => buildApplicationArgv('p', [{ name: 'x', value: 'v', type: 42, requiredToAddedToCommandLine: true }], staged), /unknown DataType 42/);
    assert.throws(() => buildApplicationArgv('', [], staged), /no executable/);
  });

  it('keeps standard-input inputs off the command line and returns their file', () => {
    const inputs: ApplicationInput[] = [
      { name: 'in', value: 'http://host/x/input.txt', type: 'URI', standardInput: true, requiredToAddedToCommandLine: true, inputOrder: 1 },
      { name: 'n', value: '3', requiredToAddedToCommandLine: true, inputOrder: 2 },
    ];
    assert.deepEqual(buildApplicationArgv('p', inputs, staged), ['p', '3']);
    assert.equal(standardInputOf(inputs, staged), 'staged/input.txt');
    assert.equal(standardInputOf([], staged), undefined);
    assert.throws(() => standardInputOf([{ name: 'a', value: 'x', standardInput: true }, { name: 'b', value: 'y', standardInput: true }], staged), /only one input/);
  });

  it('derives staged names from URIs and plain paths', () => {
    assert.equal(uriFileName('https://h/a/b/c.tar.gz?sig=1'), 'c.tar.gz');
    assert.equal(uriFileName('/data/in.txt'), 'in.txt');
    assert.throws(() => uriFileName('http://host/'), /cannot derive/);
  });
});
