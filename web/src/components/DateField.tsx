import { DatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import 'dayjs/locale/zh-cn';

const FORMAT = 'YYYY-MM-DD';

/**
 * A date input for forms: antd's DatePicker (Chinese locale from the app's ConfigProvider) whose value is
 * the API's date string 'YYYY-MM-DD', so a Form.Item holds exactly what the server takes.
 */
export function DateField({
  value,
  onChange,
  placeholder = '选择日期',
  disabled,
  id,
  min,
  max,
  'aria-label': ariaLabel,
  style,
}: {
  value?: string | null;
  onChange?: (date: string | undefined) => void;
  placeholder?: string;
  disabled?: boolean;
  id?: string;
  /** Earliest / latest date that can be chosen ('YYYY-MM-DD'). */
  min?: string;
  max?: string;
  'aria-label'?: string;
  style?: React.CSSProperties;
}) {
  const parsed = value ? dayjs(value) : null;
  return (
    <DatePicker
      id={id}
      aria-label={ariaLabel}
      style={{ width: '100%', ...style }}
      format={FORMAT}
      placeholder={placeholder}
      disabled={disabled}
      value={parsed?.isValid() ? parsed : null}
      onChange={(d: Dayjs | null) => onChange?.(d ? d.format(FORMAT) : undefined)}
      disabledDate={(d: Dayjs) => (min !== undefined && d.format(FORMAT) < min) || (max !== undefined && d.format(FORMAT) > max)}
    />
  );
}
