import { useEffect, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../api/client';
import { formatFen } from '../../utils/money';
import type { RegionView } from './api';
import './portal.css';

/**
 * The public portal's frame and small shared parts [N 4.2]: no login, mobile-first, in Chinese.
 * WCAG 2.1 AA basics: landmarks, a skip link, labelled controls, visible focus, contrast, and a
 * large-text mode. Plain HTML and CSS (no Ant Design): the portal's JavaScript stays small.
 */

const LARGE_KEY = 'portal-large-text';

export function PortalShell({ title, children }: { title: string; children: ReactNode }) {
  const [large, setLarge] = useState(() => {
    try {
      return localStorage.getItem(LARGE_KEY) === '1';
    } catch {
      return false;
    }
  });
  useEffect(() => {
    document.title = `${title} · 星级社区"以奖代补"信息公开`;
  }, [title]);
  const toggle = () => {
    setLarge((v) => {
      try {
        localStorage.setItem(LARGE_KEY, v ? '0' : '1');
      } catch {
        /* private mode */
      }
      return !v;
    });
  };
  return (
    <div className={`portal${large ? ' portal-large' : ''}`} lang="zh-CN">
      <a className="portal-skip" href="#portal-main">
        跳到正文
      </a>
      <header className="portal-header">
        <Link className="portal-brand" to="/portal">
          沈阳市星级社区"以奖代补"信息公开
        </Link>
        <nav aria-label="门户导航">
          <ul>
            <li>
              <Link to="/portal">全市</Link>
            </li>
            <li>
              <Link to="/portal/search">查找社区</Link>
            </li>
            <li>
              <Link to="/portal/open-data">开放数据</Link>
            </li>
            <li>
              <Link to="/portal/record">可验证记录</Link>
            </li>
            <li>
              <Link to="/login">工作人员登录</Link>
            </li>
          </ul>
        </nav>
        <div className="portal-toolbar">
          <button type="button" aria-pressed={large} onClick={toggle}>
            {large ? '标准字号' : '大字模式'}
          </button>
        </div>
      </header>
      <main id="portal-main" className="portal-main" tabIndex={-1}>
        {children}
      </main>
      <footer className="portal-footer">
        <p>沈阳市民政局 · 依据沈民发〔2023〕11号全过程公开 · 页面不含居民个人信息</p>
      </footer>
    </div>
  );
}

/** One card of a portal page: a section named by its heading (landmark navigation reads the heading). */
export function PortalCard({ id, title, children }: { id: string; title: ReactNode; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="portal-card">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function Loading({ title }: { title: string }) {
  return (
    <PortalShell title={title}>
      <p role="status">正在加载…</p>
    </PortalShell>
  );
}

export function Failed({ title, error }: { title: string; error: unknown }) {
  return (
    <PortalShell title={title}>
      <h1>{title}</h1>
      <p role="alert">未找到或暂未公开：{errorMessage(error)}</p>
      <p>
        <Link to="/portal">返回全市</Link>
      </p>
    </PortalShell>
  );
}

export const LEVEL_PATH: Record<string, (code: string) => string> = {
  city: () => '/portal',
  district: (c) => `/portal/d/${c}`,
  street: (c) => `/portal/s/${c}`,
  community: (c) => `/portal/c/${c}`,
};

export function Breadcrumb({ items, current }: { items: RegionView[]; current: string }) {
  return (
    <nav className="portal-breadcrumb" aria-label="位置">
      <ol>
        {items.map((a) => (
          <li key={a.code}>
            <Link to={LEVEL_PATH[a.level]?.(a.code) ?? '/portal'}>{a.name}</Link>
          </li>
        ))}
        <li aria-current="page">{current}</li>
      </ol>
    </nav>
  );
}

export function YearLinks({ years, current, base }: { years: number[]; current: number; base: string }) {
  return (
    <nav aria-label="资金年度">
      <ul className="portal-years">
        {years.map((y) => (
          <li key={y}>
            <Link to={`${base}?year=${y}`} aria-current={y === current ? 'page' : undefined}>
              {y} 年度
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export const useYear = () => {
  const [params] = useSearchParams();
  const y = Number(params.get('year'));
  return Number.isInteger(y) && y >= 2000 && y <= 2100 ? y : undefined;
};

export function Money({ label, fen }: { label: string; fen: number }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{formatFen(fen)}</dd>
    </div>
  );
}
