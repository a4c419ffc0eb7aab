// GET routes whose action answers a file ({ fileName, contentType, contentBase64 }): the route
// sends the file itself, as a download.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { actionRoute } from './action-route.js';

export type FileOutput = { fileName: string; contentType: string; contentBase64: string };

export function fileRoute(
  app: FastifyInstance,
  spec: { url: string; action: string; describe: string },
): void {
  actionRoute(app, {
    method: 'GET',
    url: spec.url,
    action: spec.action,
    response: z.string().describe(spec.describe),
    respond(output, _req, reply) {
      const file = output as FileOutput;
      reply.header('content-type', file.contentType);
      reply.header('content-disposition', `attachment; filename="${file.fileName}"`);
      return Buffer.from(file.contentBase64, 'base64');
    },
  });
}
