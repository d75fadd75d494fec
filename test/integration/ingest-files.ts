/**
 * Survey files in every upload format, from generated surveys (original column names, typos
 * included), plus a tiny zip writer for hand-made XLSX (decompression bombs).
 */
import { writeFileSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { SURVEY_FIELDS } from '../../src/domain/fields.js';
import { CSV_HEADER, META_COLUMNS, toCsvRow, toNdjsonLine, type GeneratedSurvey } from '../../src/domain/generator/index.js';

type Cell = string | number | null;

/** A survey's cells in CSV_HEADER order, typed. */
export function cells(s: GeneratedSurvey): Cell[] {
  return [...META_COLUMNS.map(([, key]) => s.meta[key] ?? null), ...SURVEY_FIELDS.map((f) => s.values[f.column] ?? null)];
}

export function writeCsv(path: string, surveys: readonly GeneratedSurvey[]): void {
  writeFileSync(path, `${[CSV_HEADER.join(','), ...surveys.map(toCsvRow)].join('\r\n')}\r\n`);
}

export function writeNdjson(path: string, surveys: readonly GeneratedSurvey[]): void {
  writeFileSync(path, `${surveys.map(toNdjsonLine).join('\n')}\n`);
}

export function writeJsonArray(path: string, surveys: readonly GeneratedSurvey[]): void {
  writeFileSync(path, `[\n${surveys.map(toNdjsonLine).join(',\n')}\n]\n`);
}

export async function writeXlsx(path: string, surveys: readonly GeneratedSurvey[]): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('surveys');
  sheet.addRow(CSV_HEADER).commit();
  for (const s of surveys) sheet.addRow(cells(s)).commit();
  await workbook.commit();
}

export function writeParquet(path: string, surveys: readonly GeneratedSurvey[], rowGroupSize = 300): void {
  const rows = surveys.map(cells);
  const kinds: string[] = [...META_COLUMNS.map(() => 'text'), ...SURVEY_FIELDS.map((f) => f.kind)];
  const columnData = CSV_HEADER.map((name, i) => ({
    name,
    data: rows.map((r) => r[i] ?? null),
    type: kinds[i] === 'text' ? ('STRING' as const) : kinds[i] === 'float' ? ('DOUBLE' as const) : ('INT32' as const),
    nullable: true,
  }));
  writeFileSync(path, Buffer.from(parquetWriteBuffer({ columnData, rowGroupSize })));
}

/** A zip archive of the given entries (deflated), written by hand: enough for XLSX edge cases. */
export function writeZip(path: string, entries: readonly { name: string; data: Buffer }[]): void {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const packed = deflateRawSync(data, { level: 9 });
    const nameBuf = Buffer.from(name);
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(8, 8);
    head.writeUInt32LE(crc32(data), 14);
    head.writeUInt32LE(packed.length, 18);
    head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(head, nameBuf, packed);
    centrals.push(central, nameBuf);
    offset += head.length + nameBuf.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(path, Buffer.concat([...locals, cd, end]));
}

/** An XLSX-shaped zip whose worksheet inflates from ~50 KB to `inflatedMiB` MiB. */
export function writeZipBomb(path: string, inflatedMiB = 48): void {
  const xml = (s: string): Buffer => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>${s}`);
  writeZip(path, [
    { name: '[Content_Types].xml', data: xml('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>') },
    { name: 'xl/workbook.xml', data: xml('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>') },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(inflatedMiB * 1024 * 1024, 0x20) },
  ]);
}
