import { AutoencoderModel, ensureBackend, trainAutoencoder } from '@tunegraph/autoencoder';
import { CsrMatrix } from '@tunegraph/als';
import { holdoutSplit } from '@tunegraph/metrics';
import { z } from 'zod';
import type { ModelKind, TrainingData } from './model-kind';

// Loading a model is synchronous (ModelKind.load) but the wasm backend starts asynchronously: start it when the
// service loads this module, long before the first model is read. A failure surfaces on the first load or fit.
ensureBackend().catch(() => undefined);

/**
 * Defaults from the Turi 10000 sample (1,630 users, 20% holdout; bench `autoencoder`): a small network trains in
 * seconds of CPU per epoch; larger ones ([600, 200], the paper's) suit the full MSD. Early stopping holds out 20% of
 * each user's songs (users with >= 5) as validation and keeps the epoch with the best NDCG@10; the model is then
 * the one fitted without those songs.
 */
const autoencoderParams = z.strictObject({
  variant: z.enum(['vae', 'dae']).default('vae'),
  hidden: z.array(z.number().int().min(1).max(8192)).min(1).max(4).default([100, 32]),
  epochs: z.number().int().min(1).max(1000).default(20),
  batchSize: z.number().int().min(1).max(65_536).default(64),
  learningRate: z.number().gt(0).max(10).default(0.01),
  dropout: z.number().min(0).lt(1).default(0.5),
  regularization: z.number().min(0).max(1000).optional(),
  betaCap: z.number().min(0).max(1000).default(0.2),
  annealSteps: z.number().int().min(0).max(1e12).default(1000),
  minItemUsers: z.number().int().min(1).default(2),
  earlyStopping: z.boolean().default(true),
  patience: z.number().int().min(1).max(1000).default(3),
  seed: z.number().int().default(42),
});
type AutoencoderParams = z.infer<typeof autoencoderParams>;

export const autoencoderKind: ModelKind<AutoencoderParams> = {
  name: 'autoencoder',
  description:
    'Mult-VAE / Mult-DAE (Liang et al. 2018) in TensorFlow.js: any user scored from their plays by one forward pass',
  params: autoencoderParams,
  async fit(data, p, log) {
    const { earlyStopping, ...options } = p;
    const split = earlyStopping ? validationSplit(data, p.seed) : undefined;
    const matrix = split?.matrix ?? toCsr(data, data);
    const result = await trainAutoencoder(matrix, {
      ...options,
      validation: split && { history: split.matrix, heldOut: split.heldOut, k: 10 },
      onEpoch: (e) =>
        log(
          {
            epoch: e.epoch,
            of: e.maxEpochs,
            loss: e.loss,
            validationNdcg: e.validationNdcg,
            seconds: e.seconds,
          },
          'autoencoder: epoch',
        ),
    });
    log(
      {
        backend: result.backend,
        epochs: result.epochs.length,
        bestEpoch: result.bestEpoch,
        ndcg: result.bestValidationNdcg,
      },
      'autoencoder: trained',
    );
    return result.model;
  },
  load: (bytes) => AutoencoderModel.fromBuffer(bytes),
};

function validationSplit(data: TrainingData, seed: number) {
  const { train, test } = holdoutSplit(data, { testFraction: 0.2, seed, minItemsPerUser: 5 });
  return { matrix: toCsr(train, data), heldOut: test };
}

function toCsr(
  plays: TrainingData | ReturnType<typeof holdoutSplit>['train'],
  shape: TrainingData,
): CsrMatrix {
  return CsrMatrix.fromCoo(shape.numUsers, shape.numItems, plays.users, plays.items, plays.counts);
}
