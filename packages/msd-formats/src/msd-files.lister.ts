import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

async function walk(dir: string, out: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    // Symlinked folders are not followed, so a link cycle cannot loop forever.
    if (entry.isDirectory()) await walk(full, out);
    else if (entry.isFile() || (entry.isSymbolicLink() && (await stat(full)).isFile())) out.push(full);
  }
}

/**
 * The file itself, or every regular file under a folder (recursively, hidden entries left out), sorted by code
 * point so the order does not depend on the locale. Which of them are MSD files is for probeMsdFile to say.
 */
export async function listMsdFiles(pathOrFolder: string): Promise<string[]> {
  if (!(await stat(pathOrFolder)).isDirectory()) return [pathOrFolder];
  const out: string[] = [];
  await walk(pathOrFolder, out);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
