/** Entry bundled by bench/run.mjs for the in-process measurements (bench/inproc.mjs) and the host side of bench/eld.mjs. */
export { runLokiAnalysis } from '../src/core/analyze/run-loki';
export { runQRadarRead } from '../src/core/analyze/qradar-run';
export { buildQRadarDashboard } from '../src/core/analyze/qradar-dashboard';
export { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS } from '../src/core/analyze/qradar-summary';
export { runBeaconAnalysis, runBeaconAnalysisRows } from '../src/core/analyze/beacons/run';
export { RESULT_PACKERS } from '../src/shared/result-packing';
export { buildBeaconDashboard, withSafelist, withSafelistSteps } from '../src/core/analyze/beacons/dashboard';
export { runInSlices } from '../src/core/slices';
