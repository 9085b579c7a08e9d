import { createLogger, type ModelVersionRow } from '@tunegraph/service-kit';
import { describe, expect, it } from 'vitest';
import { PopularityRecommender } from '@tunegraph/baselines';
import type { ModelVersionsRepository, StoredModel } from '../repositories/model-versions.repository';
import type { PlaysRepository } from '../repositories/plays.repository';
import { ActiveModelService } from './active-model.service';

const version = (id: number): ModelVersionRow => ({
  id,
  model: 'popularity',
  version: id,
  status: 'ready',
  active: true,
  dim: null,
  params: {},
  metrics: {},
  created_at: new Date(0),
  finished_at: new Date(0),
});

/** Repositories whose model loads wait until the test releases them. */
function fakes() {
  const state = {
    active: version(1) as ModelVersionRow | undefined,
    loads: [] as number[],
    release: () => {},
  };
  let gate = new Promise<void>((r) => (state.release = r));
  const versions = {
    activeVersion: async () => state.active,
    loadModel: async (id: number): Promise<StoredModel> => {
      state.loads.push(id);
      await gate;
      gate = Promise.resolve();
      return { songIds: ['SOA', 'SOB'], bytes: new PopularityRecommender(Float32Array.of(2, 1)).toBuffer() };
    },
  } as unknown as ModelVersionsRepository;
  const plays = { mostListened: async () => [{ songId: 'SOA', count: 2 }] } as unknown as PlaysRepository;
  return { state, service: new ActiveModelService(versions, plays, createLogger('test', 'silent')) };
}

describe('ActiveModelService', () => {
  it('shares one load between concurrent first requests', async () => {
    const { state, service } = fakes();
    const pending = [
      service.current('popularity'),
      service.current('popularity'),
      service.current('popularity'),
    ];
    state.release();
    const loaded = await Promise.all(pending);
    expect(state.loads).toEqual([1]);
    expect(new Set(loaded).size).toBe(1);
    expect(loaded[0].songIndex.get('SOB')).toBe(1);
    expect(loaded[0].recommender.kind).toBe('popularity');
  });

  it('does not miss an activation announced while an older version is loading', async () => {
    const { state, service } = fakes();
    const first = service.current('popularity');
    await new Promise((r) => setImmediate(r));
    state.active = version(2);
    const reloaded = service.reload('popularity');
    state.release();
    expect((await first).version.id).toBe(1);
    expect((await reloaded)?.version.id).toBe(2);
    expect((await service.current('popularity')).version.id).toBe(2);
    expect(state.loads).toEqual([1, 2]);
  });

  it('answers MODEL_NOT_READY while no version is active, then picks one up without an event', async () => {
    const { state, service } = fakes();
    state.active = undefined;
    await expect(service.current('popularity')).rejects.toMatchObject({ code: 'MODEL_NOT_READY' });
    state.active = version(3);
    state.release();
    expect((await service.current('popularity')).version.id).toBe(3);
  });

  it('refuses an unknown model kind', async () => {
    const { service } = fakes();
    await expect(service.current('svd')).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringMatching(/known: als, popularity/),
    });
  });
});
