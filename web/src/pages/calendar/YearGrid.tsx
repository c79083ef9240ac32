import { Col, Row, Tooltip } from 'antd';
import dayjs from 'dayjs';
import type { CalendarDay } from '../../api/endpoints';

const WEEK_HEAD = ['一', '二', '三', '四', '五', '六', '日'];

const pad = (n: number) => n.toString().padStart(2, '0');

/** Twelve month grids (weeks start on Monday) marking 休 (holiday) and 班 (make-up workday). */
export function YearGrid({
  year,
  days,
  onDayClick,
}: {
  year: number;
  days: CalendarDay[];
  onDayClick?: (date: string, existing: CalendarDay | undefined) => void;
}) {
  const byDate = new Map(days.map((d) => [d.date, d]));
  return (
    <Row gutter={[12, 12]} data-testid="calendar-grid">
      {Array.from({ length: 12 }, (_, m) => (
        <Col key={m} xs={24} sm={12} lg={8} xxl={6}>
          <MonthGrid year={year} month={m + 1} byDate={byDate} onDayClick={onDayClick} />
        </Col>
      ))}
    </Row>
  );
}

function MonthGrid({
  year,
  month,
  byDate,
  onDayClick,
}: {
  year: number;
  month: number;
  byDate: Map<string, CalendarDay>;
  onDayClick?: (date: string, existing: CalendarDay | undefined) => void;
}) {
  const first = dayjs(`${year}-${pad(month)}-01`);
  const lead = (first.day() + 6) % 7; // Monday-first offset
  const count = first.daysInMonth();
  const cells: (number | null)[] = [...Array<null>(lead).fill(null), ...Array.from({ length: count }, (_, i) => i + 1)];
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: (number | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));

  return (
    <div className="sf-month">
      <div style={{ fontWeight: 600, marginBottom: 4 }}>{month}月</div>
      <table>
        <thead>
          <tr>
            {WEEK_HEAD.map((w) => (
              <th key={w}>{w}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week, wi) => (
            <tr key={wi}>
              {week.map((d, di) => {
                if (d === null) return <td key={di} />;
                const date = `${year}-${pad(month)}-${pad(d)}`;
                const special = byDate.get(date);
                const classes = ['sf-day'];
                if (di >= 5) classes.push('sf-weekend');
                if (special) classes.push(special.isOffDay ? 'sf-off' : 'sf-work');
                if (onDayClick) classes.push('sf-editable');
                const cell = (
                  <td
                    key={di}
                    className={classes.join(' ')}
                    data-date={date}
                    onClick={onDayClick ? () => onDayClick(date, special) : undefined}
                  >
                    {d}
                    {special && <span className="sf-day-mark">{special.isOffDay ? '休' : '班'}</span>}
                  </td>
                );
                return special ? (
                  <Tooltip key={di} title={`${special.name} · ${special.isOffDay ? '放假' : '调休上班'}`}>
                    {cell}
                  </Tooltip>
                ) : (
                  cell
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
