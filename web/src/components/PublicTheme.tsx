import type { ReactNode } from 'react';
import { ConfigProvider } from 'antd';

/**
 * The Ant Design tokens of the public pages residents read (the answer form, the notice and
 * objection page): secondary and description text dark enough for WCAG 2.1 AA (4.5:1 on the
 * page's #f5f5f5; antd's default #878787 gives 3.3:1).
 */
export const PUBLIC_TEXT_SECONDARY = '#595959';

export function PublicTheme({ children }: { children: ReactNode }) {
  return (
    <ConfigProvider
      theme={{
        token: {
          colorTextSecondary: PUBLIC_TEXT_SECONDARY,
          colorTextDescription: PUBLIC_TEXT_SECONDARY,
          colorTextTertiary: PUBLIC_TEXT_SECONDARY,
        },
      }}
    >
      {children}
    </ConfigProvider>
  );
}
