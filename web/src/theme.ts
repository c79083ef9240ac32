import type { ThemeConfig } from 'antd';

/**
 * The console's Ant Design theme. Text colours are darker than Ant Design's defaults so that every
 * text meets WCAG 2.1 AA contrast (4.5:1) on white and on the page's #f5f5f5 (issue 19, axe-core):
 * secondary text, form and description labels, links and error text. Tag colours: styles.css.
 */
export const THEME: ThemeConfig = {
  token: {
    colorPrimary: '#b71c1c',
    borderRadius: 6,
    // Secondary / description / label text: #595959 (7:1 on white) and #666 (5.7:1), not rgba(0,0,0,.45) (3.4:1).
    colorTextSecondary: '#595959',
    colorTextTertiary: '#666666',
    colorTextDescription: '#666666',
    colorTextLabel: '#595959',
    // Links: Ant Design's blue-7 (5.9:1) instead of blue-6 (4.1:1).
    colorLink: '#0958d9',
    colorLinkHover: '#1677ff',
    colorInfo: '#0958d9',
    // Error text (Typography danger, form errors): red-7 (5.6:1) instead of #ff4d4f (3.3:1).
    colorError: '#cf1322',
    // Success text and tags: green-8 (6.4:1 on white, 6.1:1 on the tag's #f6ffed) instead of green-7 (3.9:1 on the tag).
    colorSuccess: '#237804',
    // Derived from a darker seed, Ant Design's success background turns grey-green (#adb8a5, 2.7:1): keep green-1/green-3.
    colorSuccessBg: '#f6ffed',
    colorSuccessBorder: '#b7eb8f',
  },
};
