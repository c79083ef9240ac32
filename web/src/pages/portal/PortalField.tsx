import type { InputHTMLAttributes, TextareaHTMLAttributes } from 'react';
import './portal-form.css';

/**
 * One labelled text field of a residents' form (plain markup, no Ant Design): the label is tied by
 * `for`, a required field carries `required` and a visible star (outside the label, so that the
 * field's accessible name is exactly its label), and its error is shown under it and tied by
 * `aria-describedby`, with `aria-invalid`.
 */
export function TextField({
  id,
  label,
  error,
  hint,
  multiline,
  ...control
}: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  multiline?: boolean;
} & Omit<InputHTMLAttributes<HTMLInputElement> & TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'>) {
  const describedBy = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    'aria-required': control.required ? true : undefined,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
  } as const;
  return (
    <div className="portal-field">
      <span>
        <label htmlFor={id}>{label}</label>
        {control.required && (
          <span className="portal-required" aria-hidden="true">
            *
          </span>
        )}
      </span>
      {multiline ? <textarea {...control} {...common} /> : <input type="text" {...control} {...common} />}
      {hint && (
        <span className="portal-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <p className="portal-field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
