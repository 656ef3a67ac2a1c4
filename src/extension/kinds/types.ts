/**
 * An analysis kind (Loki, and each later one) plugs into the extension through this interface:
 * how to (re)run it in the worker, how to describe it in the Results tree, and how to build its
 * dashboard. The registry, the tree and the dashboard panel are shared by every kind.
 */
import type * as vscode from 'vscode';
import type { SourceRef } from '../../core/model/common';
import type { WorkerJob } from '../../shared/worker-protocol';
import type { RunNotice } from '../../core/analyze/run-notice';
import type { DashboardSource } from '../panels/dashboardPanel';

/** What is persisted per analysis (small; the result itself is recomputed from the inputs). */
export interface AnalysisMeta {
  id: string;
  kind: string;
  title: string;
  /** Absolute input paths (files or folders). */
  paths: string[];
  /**
   * True when an input path was a folder at the run (the Results label then counts the files read:
   * `QRadar · demo-workspace (3 files)`); absent in analyses stored before it was kept.
   */
  folder?: boolean;
  /** Kind-specific options needed to re-run the analysis. */
  options: Record<string, unknown>;
  /** Epoch ms. */
  createdAt: number;
  /** One line for the Results tree, short (it follows the label in a ~300 px sidebar), e.g. "7 alerts · 11 warnings". */
  description: string;
  tooltip: string;
  /** Headline numbers (also returned by the analyze commands). */
  summary: Record<string, number>;
}

/** A node below an analysis in the Results tree. */
export interface TreeNodeData {
  /** Unique within the analysis; passed back to `children` when expanded. */
  key: string;
  label: string;
  description?: string;
  /** Plain text, shown as text (never Markdown): it holds host names, paths, rule names, offense descriptions. */
  tooltip?: string;
  icon?: vscode.ThemeIcon;
  command?: vscode.Command;
  /** `finding` enables the inline "Reveal in Log" action (needs `source`). */
  contextValue?: string;
  expandable: boolean;
  source?: SourceRef;
}

export interface TreeSettings {
  maxChildren: number;
  /** The display zone (IANA or `UTC`): times in tooltips are written in it, as on the dashboards. */
  zone?: string;
}

export interface AnalysisKind<R = unknown> {
  kind: string;
  /** Shown in titles, e.g. "Loki". */
  label: string;
  /** The kind in the Results label (`Beacons · day-2024-04-19`) when it differs from `label`; default `label`. */
  treeLabel?: string;
  /** Codicon id for the analysis node. */
  icon: string;
  /**
   * Set when the kind's dashboard source has a Markdown summary (`DashboardSource.markdown`): the analysis node
   * then offers *Copy Summary as Markdown* (contextValue `analysis-summary` instead of `analysis`).
   */
  summary?: true;
  /** The worker job that (re)computes the result from the metadata. */
  job(meta: Pick<AnalysisMeta, 'paths' | 'options'>): WorkerJob;
  /** Tree line, tooltip and headline numbers of a result. */
  describe(result: R): Pick<AnalysisMeta, 'description' | 'tooltip' | 'summary'>;
  /**
   * Set when the tree line depends on settings that can change after the run (beacons: the safelist):
   * the tree then shows `describe` of the result in memory instead of the line stored at the run.
   */
  liveDescription?: boolean;
  /**
   * After a change of a setting that applies to results in memory (the beacon safelist): true when the result can no
   * longer show what the current settings ask for and must be computed again from its inputs (a safelist entry the run
   * applied was taken off — the pairs it hid were never scored). The result then leaves memory, and its open dashboards
   * re-run it.
   */
  rerunAfterSettingsChange?(result: R, meta: AnalysisMeta): boolean;
  /**
   * The dashboard for the display zone (a promise when it reads something first, e.g. the Loki expected-host list).
   * `signal` aborts when the dashboard no longer needs it (closed, or rebuilt meanwhile): work in slices may stop then.
   */
  source(result: R, meta: AnalysisMeta, zone: string, signal?: AbortSignal): DashboardSource | Promise<DashboardSource>;
  /** Children of the analysis node (`parentKey` undefined) or of a node this kind returned. */
  children?(result: R, analysisId: string, parentKey: string | undefined, settings: TreeSettings): TreeNodeData[];
  /**
   * Optional step after the targets are known and before the job runs (e.g. asking for a column
   * mapping); resolves to the options to run with, `undefined` when the user cancelled a prompt
   * (the analysis is reported as cancelled), or `null` when the kind stopped the analysis and has
   * told the user why (e.g. no connection log among the files).
   */
  prepare?(paths: string[], options: Record<string, unknown>): Promise<Record<string, unknown> | undefined | null>;
  /** Added to the analysis title for runs with these options (two runs of one folder told apart, e.g. Loki " (all scans)"). */
  titleSuffix?(options: Record<string, unknown>): string;
  /**
   * The options that make a run of the same inputs another analysis (those {@link titleSuffix} shows, e.g. Loki's
   * `includeAllScans`); default none: running the same inputs again refreshes the analysis whatever settings it read
   * (core/analysis-identity.ts analysisIdentityKey).
   */
  identity?(options: Record<string, unknown>): Record<string, unknown>;
  /** The dashboard tab's title (`Beacons: zeek`), without loading the result; `source(…).panelTitle` is the same. */
  panelTitle(meta: Pick<AnalysisMeta, 'title'>): string;
  /**
   * The command that makes an analysis with these options (core/analysis-identity.ts RERUN_COMMANDS), offered by a
   * restored tab whose analysis is gone; undefined: none (the tab says how to run it again in words).
   */
  command?(options: Record<string, unknown>): string | undefined;
  /** The files found but not read, with the reason (named when the run found no input of its kind: noInputMessage). */
  skipped?(result: R): readonly { file: string; reason: string }[] | undefined;
  /**
   * The files of a run that found input of its kind but could read none of it (each with why), or undefined: then no
   * dashboard opens and the extension says so (`nothingReadMessage`; Loki files all `permission denied`).
   */
  nothingRead?(result: R): readonly { file: string; reason: string }[] | undefined;
  /**
   * The notification after a run (core/analyze/run-notice.ts), or undefined: problems reading the inputs, chosen files
   * skipped, notes that need action — one or two short sentences, with the dashboard tab that lists them (`tab`), a
   * setting or a file that fixes the cause. `quiet`: routine notes only, nothing to act on — the lines go to the log,
   * the dashboard shows them, and no notification is shown. `paths`: the run's input paths (a file chosen and skipped
   * is worth a notification, files of another kind in a chosen folder are not).
   */
  problems?(result: R, paths?: readonly string[]): RunNotice | undefined;
}
