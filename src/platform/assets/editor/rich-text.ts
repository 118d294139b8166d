// Progressive enhancement of the narrative fields: a textarea marked data-rich-text becomes a
// Tiptap editor with a small toolbar. Without JavaScript the textarea (HTML) still works; the
// server sanitises whatever arrives either way.
import { Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';

type Labels = Record<'toolbar' | 'bold' | 'italic' | 'h2' | 'h3' | 'bullets' | 'numbers' | 'quote' | 'link' | 'linkPrompt' | 'undo' | 'redo', string>;

function enhance(textarea: HTMLTextAreaElement, labels: Labels): void {
  const labelId = textarea.dataset.labelId ?? '';
  const wrapper = document.createElement('div');
  wrapper.className = 'rte';
  const toolbar = document.createElement('div');
  toolbar.className = 'rte-toolbar';
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', labels.toolbar);
  const area = document.createElement('div');
  wrapper.append(toolbar, area);
  textarea.insertAdjacentElement('afterend', wrapper);
  textarea.hidden = true;

  const editor = new Editor({
    element: area,
    injectCSS: false,
    content: textarea.value,
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3] },
        code: false,
        codeBlock: false,
        horizontalRule: false,
        strike: false,
        underline: false,
        link: { openOnClick: false, autolink: true, protocols: ['http', 'https', 'mailto'] },
      }),
    ],
    editorProps: { attributes: { class: 'rte-content', role: 'textbox', 'aria-multiline': 'true', 'aria-labelledby': labelId } },
    onUpdate: ({ editor: e }) => {
      textarea.value = e.isEmpty ? '' : e.getHTML();
      textarea.dispatchEvent(new Event('input', { bubbles: true }));
    },
  });

  const buttons: { label: string; run: () => void; active?: () => boolean }[] = [
    { label: labels.bold, run: () => editor.chain().focus().toggleBold().run(), active: () => editor.isActive('bold') },
    { label: labels.italic, run: () => editor.chain().focus().toggleItalic().run(), active: () => editor.isActive('italic') },
    { label: labels.h2, run: () => editor.chain().focus().toggleHeading({ level: 2 }).run(), active: () => editor.isActive('heading', { level: 2 }) },
    { label: labels.h3, run: () => editor.chain().focus().toggleHeading({ level: 3 }).run(), active: () => editor.isActive('heading', { level: 3 }) },
    { label: labels.bullets, run: () => editor.chain().focus().toggleBulletList().run(), active: () => editor.isActive('bulletList') },
    { label: labels.numbers, run: () => editor.chain().focus().toggleOrderedList().run(), active: () => editor.isActive('orderedList') },
    { label: labels.quote, run: () => editor.chain().focus().toggleBlockquote().run(), active: () => editor.isActive('blockquote') },
    {
      label: labels.link,
      run: () => {
        const current = (editor.getAttributes('link').href as string | undefined) ?? 'https://';
        const href = window.prompt(labels.linkPrompt, current);
        if (href === null) return;
        if (href === '' || href === 'https://') editor.chain().focus().extendMarkRange('link').unsetLink().run();
        else if (/^(https?:|mailto:)/i.test(href)) editor.chain().focus().extendMarkRange('link').setLink({ href }).run();
      },
      active: () => editor.isActive('link'),
    },
    { label: labels.undo, run: () => editor.chain().focus().undo().run() },
    { label: labels.redo, run: () => editor.chain().focus().redo().run() },
  ];
  const elements = buttons.map((b) => {
    const el = document.createElement('button');
    el.type = 'button';
    el.textContent = b.label;
    if (b.active) el.setAttribute('aria-pressed', 'false');
    // A pointer press on a button leaves focus and the selection in the text, as word processors
    // do; keyboard users reach the button by Tab and the command puts focus back afterwards.
    el.addEventListener('mousedown', (event) => event.preventDefault());
    el.addEventListener('click', b.run);
    toolbar.append(el);
    return el;
  });
  const refresh = () =>
    buttons.forEach((b, i) => {
      if (b.active) elements[i]?.setAttribute('aria-pressed', String(b.active()));
    });
  editor.on('transaction', refresh);
}

const form = document.querySelector<HTMLElement>('[data-rte-labels]');
if (form) {
  const labels = JSON.parse(form.dataset.rteLabels ?? '{}') as Labels;
  for (const textarea of document.querySelectorAll<HTMLTextAreaElement>('textarea[data-rich-text]')) enhance(textarea, labels);
}

// Leaving a form with unsaved edits asks first; submitting it (any of its buttons) does not.
for (const guarded of document.querySelectorAll<HTMLFormElement>('form[data-guard-unsaved]')) {
  let dirty = false;
  const mark = () => {
    dirty = true;
  };
  guarded.addEventListener('input', mark);
  guarded.addEventListener('change', mark);
  guarded.addEventListener('submit', () => {
    dirty = false;
  });
  window.addEventListener('beforeunload', (event) => {
    if (!dirty) return;
    event.preventDefault();
    // Older browsers show the dialog only when returnValue is set.
    event.returnValue = '';
  });
}

// An upload form shows its progress: the files are sent by XMLHttpRequest, whose upload events give
// the bytes sent; the page the server answers with (the record, or the form with its errors) then
// replaces this one. Without JavaScript the form posts as usual.
for (const upload of document.querySelectorAll<HTMLFormElement>('form[data-upload-progress]')) {
  const bar = upload.querySelector<HTMLProgressElement>('progress[data-upload-bar]');
  const status = upload.querySelector<HTMLElement>('[data-upload-status]');
  const label = upload.dataset.uploadProgress ?? '';
  upload.addEventListener('submit', (event) => {
    const chosen = [...upload.querySelectorAll<HTMLInputElement>('input[type=file]')].some((i) => (i.files?.length ?? 0) > 0);
    if (!chosen || !bar || typeof XMLHttpRequest === 'undefined') return;
    event.preventDefault();
    const xhr = new XMLHttpRequest();
    xhr.open('POST', upload.action);
    bar.hidden = false;
    for (const b of upload.querySelectorAll<HTMLButtonElement>('button[type=submit]')) b.disabled = true;
    xhr.upload.addEventListener('progress', (e) => {
      if (!e.lengthComputable) return;
      const percent = Math.round((e.loaded / e.total) * 100);
      bar.value = percent;
      if (status) status.textContent = label.replace('__PERCENT__', String(percent));
    });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300 && xhr.responseURL && xhr.responseURL !== window.location.href) {
        window.location.assign(xhr.responseURL);
        return;
      }
      // The form came back with its errors (or the server refused): show that page as it is.
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener('error', () => upload.submit());
    xhr.send(new FormData(upload));
  });
}
