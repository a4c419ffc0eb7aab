import { Component, type ErrorInfo, type ReactNode } from 'react';
import { t } from '../i18n/i18n';
import { Icon } from './icons';

type Props = { children: ReactNode; resetKey?: string };
type State = { error: Error | null; resetKey: string | undefined };

/**
 * Catches a page that fails to render (or to load after a new version was
 * deployed) and says so, instead of leaving a blank screen.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    // Going to another page gives it a fresh start.
    if (props.resetKey !== state.resetKey) return { error: null, resetKey: props.resetKey };
    return null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="crash" role="alert">
        <Icon name="alert" size={28} />
        <h2>{t('crash.title')}</h2>
        <p>{t('crash.text')}</p>
        <button type="button" className="button button-primary" onClick={() => window.location.reload()}>
          {t('crash.reload')}
        </button>
      </div>
    );
  }
}
