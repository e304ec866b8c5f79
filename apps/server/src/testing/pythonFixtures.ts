import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** One member of an archive a test builds. */
export type ArchiveMember =
  | { name: string; content: string; mode?: number }
  | { name: string; directory: true }
  | { name: string; symlink: string }
  | { name: string; hardlink: string }
  | { name: string; fifo: true };

// Python's zipfile and tarfile write names exactly as given, escaping ones included, which is
// what the tests need: an independent producer of the archives the server must read or refuse.
const ARCHIVE_SCRIPT = `
import io, json, sys, tarfile, zipfile
path, kind, members = sys.argv[1], sys.argv[2], json.load(sys.stdin)
if kind == 'zip':
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for m in members:
            info = zipfile.ZipInfo(m['name'])
            if 'directory' in m:
                info.external_attr = (0o40755 << 16) | 0x10
                z.writestr(info, b'')
            elif 'symlink' in m:
                info.external_attr = 0o120777 << 16
                z.writestr(info, m['symlink'])
            else:
                info.external_attr = (0o100000 | m.get('mode', 0o644)) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, m['content'])
else:
    with tarfile.open(path, 'w:gz') as t:
        for m in members:
            info = tarfile.TarInfo(m['name'])
            data = None
            if 'directory' in m:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
            elif 'symlink' in m:
                info.type, info.linkname = tarfile.SYMTYPE, m['symlink']
            elif 'hardlink' in m:
                info.type, info.linkname = tarfile.LNKTYPE, m['hardlink']
            elif 'fifo' in m:
                info.type = tarfile.FIFOTYPE
            else:
                data = m['content'].encode()
                info.size, info.mode = len(data), m.get('mode', 0o644)
            t.addfile(info, io.BytesIO(data) if data is not None else None)
`;

/** Writes a .zip or gzip-compressed tar archive holding `members`. */
export function makeArchive(path: string, kind: 'zip' | 'tar.gz', members: ArchiveMember[]): void {
  execFileSync('python3', ['-c', ARCHIVE_SCRIPT, path, kind], { input: JSON.stringify(members) });
}

const WHEEL_SCRIPT = `
import base64, hashlib, sys, zipfile
out_dir, name, version, value = sys.argv[1:5]
files = {
    f'{name}/__init__.py': f'VALUE = {value!r}\\n',
    f'{name}-{version}.dist-info/METADATA': f'Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n',
    f'{name}-{version}.dist-info/WHEEL': 'Wheel-Version: 1.0\\nGenerator: jobs-tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n',
}
record = f'{name}-{version}.dist-info/RECORD'
lines = []
for path, text in files.items():
    digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b'=').decode()
    lines.append(f'{path},sha256={digest},{len(text.encode())}')
lines.append(f'{record},,')
files[record] = '\\n'.join(lines) + '\\n'
wheel = f'{out_dir}/{name}-{version}-py3-none-any.whl'
with zipfile.ZipFile(wheel, 'w') as z:
    for path, text in files.items():
        z.writestr(path, text)
print(wheel)
`;

/**
 * Builds a pure-Python wheel with the standard library only: package `name` whose `VALUE` is
 * `value`. Returns the wheel's path inside `outDir`.
 */
export function buildWheel(outDir: string, name: string, version: string, value: string): string {
  execFileSync('python3', ['-c', WHEEL_SCRIPT, outDir, name, version, value]);
  return join(outDir, `${name}-${version}-py3-none-any.whl`);
}

const HOSTILE_ARCHIVE_SCRIPT = `
import gzip, io, sys, tarfile, zipfile
path, kind, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
mib = b'\\0' * (1 << 20)
if kind == 'trailing-zeros':
    # One small file, the end-of-archive marker, then size bytes of zeros, all gzipped.
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode='w') as t:
        info = tarfile.TarInfo('hello.txt')
        info.size = 6
        t.addfile(info, io.BytesIO(b'hello\\n'))
    with gzip.open(path, 'wb') as out:
        out.write(tar.getvalue())
        for _ in range(size >> 20):
            out.write(mib)
elif kind == 'zip-bomb':
    # One member of size bytes of zeros, deflated to about a thousandth of that.
    with zipfile.ZipFile(path, 'w') as z:
        info = zipfile.ZipInfo('zeros.bin')
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, 'w', force_zip64=True) as member:
            for _ in range(size >> 20):
                member.write(mib)
elif kind == 'many-files':
    # size small files: cheap to send, slow to write out.
    with tarfile.open(path, 'w:gz') as t:
        for i in range(size):
            info = tarfile.TarInfo(f'd{i % 100}/f{i}.txt')
            info.size = 2
            t.addfile(info, io.BytesIO(b'x\\n'))
`;

/**
 * Writes an archive built to hurt its reader: `trailing-zeros` (a tar.gz of one file followed
 * by `size` bytes of zeros after its end), `zip-bomb` (a zip of one `size`-byte member of
 * zeros) or `many-files` (a tar.gz of `size` tiny files).
 */
export function makeHostileArchive(
  path: string,
  kind: 'trailing-zeros' | 'zip-bomb' | 'many-files',
  size: number,
): void {
  execFileSync('python3', ['-c', HOSTILE_ARCHIVE_SCRIPT, path, kind, String(size)]);
}
