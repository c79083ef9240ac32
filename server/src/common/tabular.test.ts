import { describe, expect, it } from 'vitest';
import { encodeGbk } from '../../../test/helpers/gbk.js';
import { decodeCsvBytes, readUpload } from './tabular.js';

const csv = '社区代码,星级\r\n210102001001,5\r\n';

describe('CSV uploads in UTF-8 or GBK/GB18030 (Excel on Chinese Windows)', () => {
  it('reads UTF-8 without a BOM', () => {
    expect(decodeCsvBytes(Buffer.from(csv, 'utf8'))).toEqual({ text: csv, encoding: 'utf-8' });
  });

  it('reads UTF-8 with a BOM and drops the BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]);
    expect(decodeCsvBytes(bytes)).toEqual({ text: csv, encoding: 'utf-8-bom' });
  });

  it('reads GBK bytes as GB18030', () => {
    const bytes = encodeGbk(csv);
    expect(bytes.length).toBeLessThan(Buffer.byteLength(csv, 'utf8'));
    expect(decodeCsvBytes(bytes)).toEqual({ text: csv, encoding: 'gb18030' });
  });

  it('readUpload returns the rows and the detected encoding of base64 content', async () => {
    const got = await readUpload('csv', encodeGbk(csv).toString('base64'), 'base64');
    expect(got.encoding).toBe('gb18030');
    expect(got.rows[0]).toEqual(['社区代码', '星级']);
    expect((await readUpload('csv', csv)).encoding).toBe('text');
  });
});
