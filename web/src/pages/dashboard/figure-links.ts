/**
 * Where a dashboard figure leads. The server gives each figure the API list behind it
 * (`/api/v1/firms/:firmId/deficiencies?isOpen=true&severity=high`); the page with that list has the same
 * name and takes the same query (`/deficiencies?isOpen=true&severity=high`), and a campaign's items
 * are shown on the campaign page (`/campaigns/:id?section=CC-17010&result=compliant`).
 */
import { useEffect, type RefObject } from 'react';
import { getInstanceByDom } from 'echarts/core';

export interface RowsLink {
  path: string;
  query: Record<string, string>;
}

export interface PageTarget {
  to: string;
  search: Record<string, string | number | boolean>;
}

const API_PREFIX = /^\/api\/v1\/firms\/[^/]+/;

/** The app page for an API list path, or null when the app has no page for it. */
export function toPageTarget(rows: RowsLink): PageTarget | null {
  const path = rows.path.replace(API_PREFIX, '');
  const search = Object.fromEntries(Object.entries(rows.query).map(([key, value]) => [key, parseQueryValue(value)]));
  const campaignItems = /^\/campaigns\/([^/]+)\/items$/.exec(path);
  if (campaignItems) {
    return { to: `/campaigns/${campaignItems[1]}`, search };
  }
  if (path === '/campaigns' || path === '/deficiencies' || path === '/evidence' || /^\/campaigns\/[^/]+$/.test(path)) {
    return { to: path, search };
  }
  return null;
}

/** Query values as the router parses them from a URL (booleans and numbers are typed). */
function parseQueryValue(value: string): string | number | boolean {
  if (value === 'true' || value === 'false') {
    return value === 'true';
  }
  return /^-?\d+$/.test(value) ? Number(value) : value;
}

/** The href of a page target (for plain links and tests). */
export function toPageHref(target: PageTarget): string {
  const query = new URLSearchParams(Object.entries(target.search).map(([key, value]) => [key, String(value)])).toString();
  return query ? `${target.to}?${query}` : target.to;
}

export interface ChartClick {
  seriesIndex: number;
  dataIndex: number;
}

/**
 * Calls `onClick` when a bar or point of the ECharts chart inside `container` is clicked (the chart is
 * created by the shared `<Chart>` component before this effect runs).
 */
export function useChartClick(container: RefObject<HTMLDivElement | null>, onClick: (click: ChartClick) => void): void {
  useEffect(() => {
    const element = container.current?.querySelector('[data-testid]') ?? container.current?.firstElementChild;
    const instance = element instanceof HTMLElement ? getInstanceByDom(element) : undefined;
    if (!instance) {
      return undefined;
    }
    const handle = (params: { seriesIndex?: number; dataIndex?: number }) => {
      if (params.seriesIndex !== undefined && params.dataIndex !== undefined) {
        onClick({ seriesIndex: params.seriesIndex, dataIndex: params.dataIndex });
      }
    };
    instance.on('click', handle);
    instance.getZr().setCursorStyle('pointer');
    return () => {
      instance.off('click', handle);
    };
  });
}
