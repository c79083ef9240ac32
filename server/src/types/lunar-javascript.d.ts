/** The few parts of lunar-javascript (MIT) the provisional calendar uses; the package ships no types. */
declare module 'lunar-javascript' {
  interface SolarDate {
    toYmd(): string;
    getLunar(): LunarDate;
  }
  interface LunarDate {
    getSolar(): SolarDate;
    getJieQiTable(): Record<string, SolarDate>;
  }
  interface Holiday {
    getDay(): string;
    getName(): string;
    isWork(): boolean;
    getTarget(): string;
  }
  const lunar: {
    Lunar: { fromYmd(year: number, month: number, day: number): LunarDate };
    Solar: { fromYmd(year: number, month: number, day: number): SolarDate };
    HolidayUtil: { getHolidays(year: number): Holiday[] };
  };
  export default lunar;
}
