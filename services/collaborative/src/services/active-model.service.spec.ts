import { createLogger, type ModelVersionRow } from '@tunegraph/service-kit';
import { describe, expect, it } from 'vitest';
import type { AlsVersionsRepository, StoredSongFactors } from '../repositories/als-versions.repository';
import type { PlaysRepository } from '../repositories/plays.repository';
import { ActiveModelService } from './active-model.service';

const version = (id: number): ModelVersionRow => ({
  id,
  model: 'als',
  version: id,
  status: 'ready',
  active: true,
  dim: 2,
  params: { regularization: 0.1, alpha: 10, confidence: 'log', epsilon: 1 },
  metrics: {},
  created_at: new Date(0),
  finished_at: new Date(0),
});

/** Repositories whose factor loads wait until the test releases them. */
function fakes() {
  const state = { active: version(1) as ModelVersionRow | undefined, loads: [] as number[], release: () => {} };
  let gate = new Promise<void>((r) => (state.release = r));
  const versions = {
    activeVersion: async () => state.active,
    loadSongFactors: async (v: ModelVersionRow): Promise<StoredSongFactors> => {
      state.loads.push(v.id);
      await gate;
      gate = Promise.resolve();
      return { version: v, songIds: ['SOA', 'SOB'], factors: Float32Array.of(1, 0, 0, 1) };
    },
  } as unknown as AlsVersionsRepository;
  const plays = { mostListened: async () => [{ songId: 'SOA', count: 2 }] } as unknown as PlaysRepository;
  return { state, service: new ActiveModelService(versions, plays, createLogger('test', 'silent')) };
}

describe('ActiveModelService', () => {
  it('shares one load between concurrent first requests', async () => {
    const { state, service } = fakes();
    const pending = [service.current(), service.current(), service.current()];
    state.release();
    const loaded = await Promise.all(pending);
    expect(state.loads).toEqual([1]);
    expect(new Set(loaded).size).toBe(1);
    expect(loaded[0].songIndex.get('SOB')).toBe(1);
  });

  it('does not miss an activation announced while an older version is loading', async () => {
    const { state, service } = fakes();
    const first = service.current();
    await new Promise((r) => setImmediate(r));
    state.active = version(2);
    const reloaded = service.reload();
    state.release();
    expect((await first).version.id).toBe(1);
    expect((await reloaded)?.version.id).toBe(2);
    expect((await service.current()).version.id).toBe(2);
    expect(state.loads).toEqual([1, 2]);
  });

  it('answers MODEL_NOT_READY while no version is active, then picks one up without an event', async () => {
    const { state, service } = fakes();
    state.active = undefined;
    await expect(service.current()).rejects.toMatchObject({ code: 'MODEL_NOT_READY' });
    state.active = version(3);
    state.release();
    expect((await service.current()).version.id).toBe(3);
  });
});
