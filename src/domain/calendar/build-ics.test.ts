import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildIcs } from './build-ics.ts';
import type { ObligationOccurrence } from './list-obligations.ts';
import { buildInspectionPeriods } from './periods.ts';

function buildOccurrence(overrides: Partial<ObligationOccurrence> = {}): ObligationOccurrence {
  return {
    obligationId: 'board-statement',
    title: '資訊安全整體執行情形聲明書提報董事會並揭露於公開資訊觀測站',
    titleEn: 'Annual information security statement to the board, disclosed on MOPS',
    frequency: 'annual',
    periodId: '2023',
    periodStart: '2023-01-01',
    periodEnd: '2023-12-31',
    due: '2024-03-31',
    itemIds: ['CSIM:2.6'],
    reason: '適用所有證券商',
    reasonEn: 'Applies to all firms',
    needsAnswer: false,
    missingFields: [],
    profileRevision: null,
    ...overrides,
  };
}

function parseEvents(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      start: event.startDate,
      end: event.endDate,
      stamp: component.getFirstPropertyValue('dtstamp'),
    };
  });
}

describe('buildIcs', () => {
  const obligations = [
    buildOccurrence(),
    buildOccurrence({ obligationId: 'firewall-rule-review', title: '防火牆存取控管設定及網路設備規則年度檢視', due: '2024-12-31', periodId: '2024', itemIds: ['CSIM:7.1.b.f', 'NET:4.2.3'] }),
  ];
  const periods = buildInspectionPeriods(2024, 'semiannual', '12-31').map((period) => ({ ...period, codes: ['CC-14000'] }));
  const ics = buildIcs(obligations, periods, { firmName: '範例證券', stamp: new Date('2024-01-02T03:04:05Z') });
  const events = parseEvents(ics);

  it('one all-day event per obligation and per inspection period', () => {
    expect(events).toHaveLength(4);
    for (const event of events) {
      expect(event.start.isDate).toBe(true);
      expect(event.end.isDate).toBe(true);
      expect(event.end.toJSDate().getTime() - event.start.toJSDate().getTime()).toBe(24 * 3600 * 1000);
    }
    expect(events.map((event) => event.start.toString())).toEqual(['2024-03-31', '2024-12-31', '2024-07-31', '2025-01-31']);
  });

  it('zh-TW summaries, descriptions listing the items, DTSTAMP and unique UIDs', () => {
    expect(events[0].summary).toBe('【範例證券】資訊安全整體執行情形聲明書提報董事會並揭露於公開資訊觀測站（截止）');
    expect(events[1].description).toContain('CSIM:7.1.b.f, NET:4.2.3');
    expect(events[2].summary).toContain('半年查核 CC-14000 2024-H1');
    expect(String(events[0].stamp)).toContain('2024-01-02T03:04:05');
    expect(new Set(events.map((event) => event.uid)).size).toBe(4);
    expect(events.every((event) => /^[\x21-\x7e]+@anjian$/.test(event.uid))).toBe(true);
  });

  it('UIDs are stable across exports and differ between firms', () => {
    const again = parseEvents(buildIcs(obligations, periods, { firmName: '範例證券' }));
    expect(again.map((event) => event.uid)).toEqual(events.map((event) => event.uid));
    const other = parseEvents(buildIcs(obligations, periods, { firmName: '另一證券' }));
    expect(other[0].uid).not.toBe(events[0].uid);
  });

  it('is a VCALENDAR 2.0 with CRLF line endings', () => {
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics).toContain('PRODID:');
  });
});
