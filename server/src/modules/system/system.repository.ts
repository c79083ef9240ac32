import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';

export class SystemRepository {
  /** One round trip: the database answers. */
  async ping(db: Executor): Promise<void> {
    await db.execute(sql`select 1`);
  }
}
