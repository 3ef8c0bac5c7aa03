import { unzipSync } from 'fflate';
import type { ImportSource } from '@sightline/api-contract';
import { invalid } from '../common/domain-error';

const PLAUSIBLE_FILE = /^(?:.*\/)?(?:imported_)?[a-z_]+_\d{8}_\d{8}\.csv$/;
const PLAUSIBLE_VISITORS = /^(?:.*\/)?(?:imported_)?visitors_\d{8}_\d{8}\.csv$/;

function isZip(data: Buffer): boolean {
  return data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04;
}

/** File names in a zip, from its central directory only (nothing is decompressed here). */
function zipNames(data: Buffer): string[] {
  const names: string[] = [];
  try {
    unzipSync(data, {
      filter: (f) => {
        names.push(f.name);
        return false;
      },
    });
  } catch {
    throw invalid('body', 'the zip file is corrupt');
  }
  return names;
}

/** The first line of a CSV, checked to be UTF-8 text. */
function headerLine(data: Buffer): string {
  const head = data.subarray(0, Math.min(data.length, 16 * 1024));
  let text: string;
  try {
    // A multi-byte character cut at the 16 KB mark is not an encoding error.
    text = new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, lastCompleteUtf8(head)));
  } catch {
    throw invalid('body', 'the file is not UTF-8 text; export it again as UTF-8 CSV');
  }
  const line = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (!line.includes(',')) throw invalid('body', 'the file is neither a zip nor a CSV with a header line');
  return line.toLowerCase();
}

function lastCompleteUtf8(b: Buffer): number {
  const end = b.length;
  // Step back over at most 3 continuation bytes and a lead byte of an unfinished sequence.
  for (let i = 1; i <= 4 && end - i >= 0; i++) {
    const byte = b[end - i]!;
    if ((byte & 0xc0) === 0x80) continue;
    if ((byte & 0xc0) === 0xc0) {
      const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return need > i ? end - i : end;
    }
    return end;
  }
  return end;
}

/**
 * Cheap checks before an upload is stored: a zip with the files the source exports, or a CSV
 * with the right header. The worker validates every row; these catch the wrong file at once.
 */
export function checkUpload(source: ImportSource, fileName: string, data: Buffer): void {
  if (data.length === 0) throw invalid('body', 'the upload is empty');
  if (isZip(data)) {
    const names = zipNames(data);
    if (source === 'plausible' && !names.some((n) => PLAUSIBLE_VISITORS.test(n)))
      throw invalid(
        'body',
        'this zip is not a Plausible CSV export (no imported_visitors_YYYYMMDD_YYYYMMDD.csv in it)',
      );
    if (source === 'umami' && !names.some((n) => n.toLowerCase().endsWith('.csv')))
      throw invalid('body', 'this zip holds no CSV file of Umami’s data export');
    return;
  }
  const header = headerLine(data);
  if (source === 'plausible') {
    if (!PLAUSIBLE_FILE.test(fileName))
      throw invalid(
        'filename',
        'a single Plausible CSV must keep its export name (imported_visitors_YYYYMMDD_YYYYMMDD.csv); or upload the zip',
      );
    if (!header.includes('date')) throw invalid('body', 'this CSV has no date column');
  } else if (!['session_id', 'created_at', 'url_path', 'event_type'].every((c) => header.includes(c))) {
    throw invalid(
      'body',
      'this CSV is not Umami’s website_event export (session_id, url_path, event_type, created_at…)',
    );
  }
}
