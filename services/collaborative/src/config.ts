import { baseConfigSchema } from '@tunegraph/service-kit';
import { z } from 'zod';

export const collaborativeConfigSchema = baseConfigSchema.extend({
  HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(4002),
  GRPC_PORT: z.coerce.number().int().min(1).max(65535).default(50052),
});
export type CollaborativeConfig = z.infer<typeof collaborativeConfigSchema>;
