/** A learning-rate schedule, as the spec's `train.schedule` block describes it. */
export interface ScheduleConfig {
  /** @defaultValue 'constant' */
  readonly type?: 'constant' | 'linear' | 'cosine' | 'step';
  /** Steps of linear warm-up from 0 to the peak rate. @defaultValue 0 */
  readonly warmupSteps?: number;
  /** Final rate of the linear and cosine schedules. @defaultValue 0 */
  readonly minLr?: number;
  /** Step schedule: epochs between two decays. @defaultValue 1 */
  readonly stepEpochs?: number;
  /** Step schedule: factor of each decay. @defaultValue 0.5 */
  readonly gamma?: number;
}

/** Where the run is, for the schedule. */
export interface SchedulePosition {
  /** Optimizer steps already taken (0 for the first step). */
  readonly step: number;
  /** Steps of the whole run (linear and cosine decay reach `minLr` there). */
  readonly totalSteps: number;
  /** Steps per epoch (step schedule). */
  readonly stepsPerEpoch: number;
}

/** The learning rate of the step at `pos`, for a peak rate `lr`. A pure function of its arguments. */
export function learningRate(lr: number, config: ScheduleConfig, pos: SchedulePosition): number {
  const warmup = config.warmupSteps ?? 0;
  const step = pos.step;
  if (warmup > 0 && step < warmup) return (lr * (step + 1)) / warmup;
  const minLr = config.minLr ?? 0;
  const span = Math.max(1, pos.totalSteps - warmup);
  const progress = Math.min(1, Math.max(0, (step - warmup) / span));
  switch (config.type ?? 'constant') {
    case 'constant':
      return lr;
    case 'linear':
      return minLr + (lr - minLr) * (1 - progress);
    case 'cosine':
      return minLr + (lr - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
    case 'step': {
      const epoch = Math.floor(step / Math.max(1, pos.stepsPerEpoch));
      return lr * (config.gamma ?? 0.5) ** Math.floor(epoch / (config.stepEpochs ?? 1));
    }
  }
}
