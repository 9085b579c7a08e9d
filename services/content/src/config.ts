import { z } from 'zod';
import { baseConfigSchema } from '@tunegraph/service-kit';

export const contentConfigSchema = baseConfigSchema.extend({
  HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(4003),
  GRPC_PORT: z.coerce.number().int().min(1).max(65535).default(50053),
});
