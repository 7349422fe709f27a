/** Writes a bench report folder: report.json, report.md (with the chart linked) and learning-curve.svg. */
import * as fs from 'fs';
import * as path from 'path';
import type { BenchReport } from './report';
import { renderMarkdown } from './report';
import { learningCurveSvg } from './svg';

export interface ReportFiles {
  json: string;
  markdown: string;
  svg: string;
}

export const SVG_NAME = 'learning-curve.svg';

export function writeReportFiles(dir: string, report: BenchReport): ReportFiles {
  fs.mkdirSync(dir, { recursive: true });
  const files: ReportFiles = {
    json: path.join(dir, 'report.json'),
    markdown: path.join(dir, 'report.md'),
    svg: path.join(dir, SVG_NAME),
  };
  fs.writeFileSync(files.json, JSON.stringify(report, null, 2) + '\n');
  fs.writeFileSync(files.svg, learningCurveSvg(report));
  fs.writeFileSync(files.markdown, renderMarkdown(report, { svgFile: SVG_NAME }));
  return files;
}
