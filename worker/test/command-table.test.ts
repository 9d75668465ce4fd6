import fs from 'node:fs';
import path from 'node:path';
import { COMMANDS } from '../src/cli/command-table';

test('every module in cli/commands is in the command table, and every entry loads a run function', () => {
  const files = fs
    .readdirSync(path.join(__dirname, '../src/cli/commands'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3));
  expect(Object.keys(COMMANDS).sort()).toEqual(files.sort());
  for (const c of Object.values(COMMANDS)) expect(c.describe).not.toBe('');
});
