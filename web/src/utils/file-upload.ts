import { UPLOAD_ENCODING_LABELS, labelOf } from '../api/labels';

/**
 * A chosen file as an import's body: its bytes in base64 whatever the format, so that the server
 * detects a CSV's encoding (UTF-8 with or without BOM, or GBK/GB18030 as Excel on Chinese Windows
 * saves it) instead of the browser guessing UTF-8.
 */
export async function readFileForUpload(file: File): Promise<{ format: 'csv' | 'xlsx'; content: string; contentEncoding: 'base64' }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { format: /\.xlsx$/i.test(file.name) ? 'xlsx' : 'csv', content: btoa(binary), contentEncoding: 'base64' };
}

/** The detected encoding of an upload, in words (文件编码：GBK / GB18030). */
export const encodingText = (encoding: string) => `文件编码：${labelOf(UPLOAD_ENCODING_LABELS, encoding)}`;
