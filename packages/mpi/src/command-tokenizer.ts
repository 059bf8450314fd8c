/**
 * Splits the remote command an MPI launcher hands to its "ssh" into argv, understanding exactly the
 * quoting a POSIX shell would remove and nothing else. ssh joins its arguments with blanks and the
 * remote shell re-splits them; OpenMPI relies on that (it passes ` orted` and `"env"`), Hydra passes
 * one quoted path. We run no shell, so anything that would need one (operators, expansions,
 * redirections) is refused rather than silently passed as a literal.
 */
export class CommandSyntaxError extends Error {
  constructor(message: string, readonly command: string) {
    super(`${message} in daemon command: ${command}`);
    this.name = 'CommandSyntaxError';
  }
}

const BLANK = /[ \t\n]/;
/** Unquoted characters that mean something to a shell we do not run. */
const SHELL_SPECIAL = new Set([';', '&', '|', '<', '>', '(', ')', '`', '$', '*', '?', '[', '~', '#', '{', '}']);

export function tokenizeCommand(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const fail = (what: string): never => {
    throw new CommandSyntaxError(what, command);
  };
  while (i < command.length) {
    const c = command[i];
    if (BLANK.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) fail('unterminated single quote');
      word += command.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      inWord = true;
      for (;;) {
        if (i >= command.length) fail('unterminated double quote');
        const d = command[i];
        if (d === '"') { i++; break; }
        if (d === '$' || d === '`') fail(`expansion "${d}" inside double quotes`);
        if (d === '\\' && i + 1 < command.length && '"\\$`\n'.includes(command[i + 1])) {
          if (command[i + 1] !== '\n') word += command[i + 1];
          i += 2;
          continue;
        }
        word += d;
        i++;
      }
    } else if (c === '\\') {
      if (i + 1 >= command.length) fail('trailing backslash');
      if (command[i + 1] !== '\n') word += command[i + 1];
      inWord = true;
      i += 2;
    } else if (SHELL_SPECIAL.has(c)) {
      fail(`unsupported shell syntax "${c}"`);
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  if (words.length === 0) fail('empty command');
  // `NAME=value cmd` would set a variable in a shell; we do not emulate that.
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) fail('leading variable assignment');
  return words;
}
