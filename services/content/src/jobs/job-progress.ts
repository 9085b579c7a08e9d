/** What a content training job reports while it runs (CLI logs it; the admin mutation stores it for polling). */
export interface JobProgress {
  step: number;
  steps: number;
  message: string;
}
