// Reads a deployment request: an XML body, or multipart/form-data with one .bpmn file and any
// number of .form files (the deploy action checks which files arrived).
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../server/core/errors.js';
import { decodeXml } from './model.js';

/** The largest BPMN file (and each form file) a deployment accepts. */
export const MAX_DEPLOYMENT_BYTES = 5 * 1024 * 1024;
/** The most files one multipart deployment may carry. */
export const MAX_DEPLOYMENT_FILES = 100;

export const multipartLimits = {
  fileSize: MAX_DEPLOYMENT_BYTES,
  files: MAX_DEPLOYMENT_FILES,
  fields: 20,
  parts: MAX_DEPLOYMENT_FILES + 20,
};

export async function readDeployment(req: FastifyRequest): Promise<Record<string, unknown>> {
  if (!req.isMultipart()) return { xml: typeof req.body === 'string' ? req.body : '' };
  const files: { name: string; content: string }[] = [];
  try {
    for await (const part of req.parts()) {
      if (part.type !== 'file') continue;
      const bytes = await part.toBuffer();
      // A .bpmn may declare another encoding (MIWG files are ISO-8859-1); forms are JSON, UTF-8.
      const content = /\.bpmn$/i.test(part.filename) ? decodeXml(bytes) : new TextDecoder().decode(bytes);
      files.push({ name: part.filename, content });
    }
  } catch (error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    if (status === 413) throw new AppError(413, 'PAYLOAD_TOO_LARGE');
    throw error;
  }
  return { files };
}
