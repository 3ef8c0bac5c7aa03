import { pipeline, Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { Unzip, UnzipInflate } from 'fflate';
import { ImportError } from './import-error';

/** Bounds for hostile uploads: a zip bomb stops at this many uncompressed bytes in total. */
export const MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024;
/** A CSV record (one line) longer than this is refused. */
const MAX_RECORD_BYTES = 64 * 1024;
/** More files than this in one zip is not an export. */
const MAX_ZIP_ENTRIES = 64;

export function isZip(data: Uint8Array): boolean {
  return data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04;
}

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/**
 * The files of a zip whose names `wanted` accepts, decompressed. Stops with an ImportError as
 * soon as the uncompressed total passes `maxBytes` (whatever the headers claim), on a
 * compression method other than stored/deflate, and on a corrupt archive.
 */
export function readZipEntries(
  zip: Uint8Array,
  wanted: (name: string) => boolean,
  maxBytes = MAX_UNCOMPRESSED_BYTES,
): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let total = 0;
  let failure: ImportError | null = null;
  let seen = 0;
  const unzip = new Unzip((file) => {
    if (failure) return;
    if (++seen > MAX_ZIP_ENTRIES) {
      failure = new ImportError(
        `the zip holds more than ${MAX_ZIP_ENTRIES} files; is it a Plausible export?`,
      );
      return;
    }
    if (file.name.endsWith('/') || !wanted(file.name)) return;
    const chunks: Buffer[] = [];
    file.ondata = (err, chunk, final) => {
      if (failure) return;
      if (err) {
        failure = new ImportError(`${file.name} in the zip is corrupt (${err.message})`);
        return;
      }
      total += chunk.length;
      if (total > maxBytes) {
        failure = new ImportError(
          `the zip unpacks to more than ${Math.round(maxBytes / 1024 / 1024)} MB; split the export into smaller periods`,
        );
        file.terminate();
        return;
      }
      chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
      if (final) entries.push({ name: file.name, data: Buffer.concat(chunks) });
    };
    try {
      file.start();
    } catch {
      failure = new ImportError(`${file.name} in the zip uses an unsupported compression method`);
    }
  });
  unzip.register(UnzipInflate);
  const STEP = 64 * 1024;
  try {
    for (let at = 0; at < zip.length && !failure; at += STEP)
      unzip.push(zip.subarray(at, at + STEP), at + STEP >= zip.length);
  } catch (err) {
    if (!failure) failure = new ImportError(`the zip is corrupt (${(err as Error).message})`);
  }
  if (failure) throw failure;
  return entries;
}

/** UTF-8 text in ~1 MB strings; invalid bytes stop the import (a wrongly encoded export). */
function* utf8Strings(data: Buffer, label: string): Generator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const STEP = 1024 * 1024;
  for (let at = 0; at < data.length; at += STEP) {
    try {
      yield decoder.decode(data.subarray(at, at + STEP), { stream: at + STEP < data.length });
    } catch {
      throw new ImportError(`${label} is not valid UTF-8 text; export it again as UTF-8 CSV`);
    }
  }
}

export interface CsvRow {
  /** Line number in the file (1 = the header), for error messages. */
  line: number;
  values: Record<string, string>;
}

/**
 * Streams the records of a CSV with a header line: the header's columns must include
 * `required`; every row must have as many fields as the header. Values are returned as they are
 * (a cell starting with `=` is data, never evaluated; our own CSV export defuses it again).
 */
export async function* csvRows(
  data: Buffer,
  label: string,
  required: readonly string[],
): AsyncGenerator<CsvRow> {
  const parser = parse({ bom: true, skip_empty_lines: true, max_record_size: MAX_RECORD_BYTES, info: true });
  // pipeline (not pipe) so a decoding error ends the iteration below instead of stalling it.
  pipeline(Readable.from(utf8Strings(data, label)), parser, () => undefined);
  let header: string[] | null = null;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      if (!header) {
        header = record.map((h) => h.trim().toLowerCase());
        const missing = required.filter((col) => !header!.includes(col));
        if (missing.length > 0)
          throw new ImportError(
            `${label}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (found ${header.slice(0, 12).join(', ') || 'none'})`,
          );
        continue;
      }
      const values: Record<string, string> = {};
      header.forEach((col, i) => (values[col] = record[i] ?? ''));
      yield { line: info.lines, values };
    }
  } catch (err) {
    if (err instanceof ImportError) throw err;
    if (err instanceof CsvError) throw new ImportError(`${label}: not a valid CSV file (${err.message})`);
    throw err;
  }
  if (!header) throw new ImportError(`${label} is empty`);
}
