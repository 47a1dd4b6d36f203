/** The plan preview's days: names for them, and the month calendars that show each day's counts. */

const DAY_MS = 86_400_000;
const WEEKDAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const asUtcDate = (day: string) => new Date(`${day}T12:00:00Z`);
const nextDay = (day: string) => new Date(asUtcDate(day).getTime() + DAY_MS).toISOString().slice(0, 10);
/** Monday 0 … Sunday 6. */
const weekdayIndex = (day: string) => (asUtcDate(day).getUTCDay() + 6) % 7;
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** "Friday 30 October 2026" (a local day of the program, as the plan names it). */
export const longDay = (day: string) => `${WEEKDAY_NAMES[weekdayIndex(day)]} ${Number(day.slice(8))} ${MONTH_NAMES[Number(day.slice(5, 7)) - 1]} ${day.slice(0, 4)}`;
/** "October 2026". */
const monthName = (day: string) => `${MONTH_NAMES[Number(day.slice(5, 7)) - 1]} ${day.slice(0, 4)}`;

/**
 * A month at a time, Monday first: each day of the preview shows how many surveys are planned and
 * how many people are skipped on it, linking to that day's lists below. Plain tables, no script.
 */
export function Calendar({ first, last, planned, skipped }: { first: string; last: string; planned: Map<string, number>; skipped: Map<string, number> }) {
  const months: Array<{ key: string; days: string[] }> = [];
  for (let day = first; day <= last; day = nextDay(day)) {
    const key = day.slice(0, 7);
    if (months[months.length - 1]?.key !== key) months.push({ key, days: [] });
    months[months.length - 1].days.push(day);
  }
  return (
    <div class="calendars">
      {months.map((month) => {
        const cells: Array<string | null> = [...Array.from({ length: weekdayIndex(month.days[0]) }, () => null), ...month.days];
        while (cells.length % 7) cells.push(null);
        const weeks = Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
        const title = monthName(month.days[0]);
        return (
          <table key={month.key} class="calendar">
            <caption>{title}</caption>
            <thead>
              <tr>
                {WEEKDAY_NAMES.map((name) => (
                  <th key={name} scope="col">
                    <abbr title={name}>{name.slice(0, 3)}</abbr>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {weeks.map((week, w) => (
                <tr key={w}>
                  {week.map((day, d) => {
                    if (!day) return <td key={d} class="calendar-out" />;
                    const surveys = planned.get(day) ?? 0;
                    const skips = skipped.get(day) ?? 0;
                    const date = <span class="calendar-date">{Number(day.slice(8))}</span>;
                    if (!surveys && !skips) return <td key={d}>{date}</td>;
                    return (
                      <td key={d} class="calendar-busy">
                        <a href={`#day-${day}`}>
                          {date}
                          <span class="visually-hidden">{` ${title}:`}</span>
                          {surveys ? (
                            <span class="calendar-planned">
                              {`${surveys}`}
                              <span class="visually-hidden"> planned</span>
                            </span>
                          ) : null}
                          {skips ? (
                            <span class="calendar-skipped">
                              {`${skips}`}
                              <span class="visually-hidden"> skipped</span>
                            </span>
                          ) : null}
                        </a>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
    </div>
  );
}
