import { lazy } from 'react';

// Each page is its own chunk, loaded when first shown: the runbooks list never pays for the
// canvas, the YAML parser or the expression language. Named exports stay named in the pages.
export const SignInPage = lazy(() => import('./pages/SignInPage').then((m) => ({ default: m.SignInPage })));
export const RunbookListPage = lazy(() => import('./pages/RunbookListPage').then((m) => ({ default: m.RunbookListPage })));
export const RunbookPage = lazy(() => import('./pages/RunbookPage').then((m) => ({ default: m.RunbookPage })));
export const RunsPage = lazy(() => import('./pages/RunsPage').then((m) => ({ default: m.RunsPage })));
export const RunPage = lazy(() => import('./pages/RunPage').then((m) => ({ default: m.RunPage })));
export const ApprovalsPage = lazy(() => import('./pages/ApprovalsPage').then((m) => ({ default: m.ApprovalsPage })));
export const SchedulesPage = lazy(() => import('./pages/SchedulesPage').then((m) => ({ default: m.SchedulesPage })));
export const HistoryPage = lazy(() => import('./pages/HistoryPage').then((m) => ({ default: m.HistoryPage })));
export const DrillsPage = lazy(() => import('./reports/DrillsPage').then((m) => ({ default: m.DrillsPage })));
export const DrillReportPage = lazy(() => import('./reports/DrillReportPage').then((m) => ({ default: m.DrillReportPage })));
