import { dropRunDatabases, deleteRunTopics } from './stack';

/**
 * Root hooks: clean up what this run created on the shared stack. Set MSCHED_TEST_KEEP=1 to keep
 * the run's database and topics for inspection after a failure.
 */
export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(60000);
    if (process.env.MSCHED_TEST_KEEP === '1') return;
    await dropRunDatabases().catch((e) => console.warn(`could not drop test databases: ${(e as Error).message}`));
    await deleteRunTopics().catch((e) => console.warn(`could not delete test topics: ${(e as Error).message}`));
  },
};
