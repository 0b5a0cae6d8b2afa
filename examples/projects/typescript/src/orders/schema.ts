// What an order looks like: validated with zod where orders come in, typed from the schema everywhere else.
import { z } from 'zod';

export const orderSchema = z.object({
  customer: z.string(),
  region: z.string(),
  amountCents: z.number().int(),
});

export type Order = z.infer<typeof orderSchema>;
