// A <textarea> as a small code editor: line numbers, Tab and Shift+Tab indent,
// Enter keeps the indentation, and one marked line (a compile error). No
// dependency: the playground needs to edit a page of code, not an IDE.

/**
 * The character offset (UTF-16, as the textarea counts) of a UTF-8 byte column
 * in a line: esbuild reports columns in bytes.
 * @param {string} lineText
 * @param {number} byteColumn
 */
export function charColumn(lineText, byteColumn) {
	const bytes = new TextEncoder().encode(lineText);
	return new TextDecoder().decode(bytes.slice(0, byteColumn)).length;
}

/**
 * Enhances `root`, which holds a `textarea`, a `.gutter` (line numbers) and a `.mark` (the marked line's band).
 * @param {HTMLElement} root
 * @param {{ onSubmit?: () => void }} [options] `onSubmit`: Ctrl/Cmd+Enter
 */
export function createCodeEditor(root, options = {}) {
	const textarea = /** @type {HTMLTextAreaElement} */ (root.querySelector('textarea'));
	const gutter = /** @type {HTMLElement} */ (root.querySelector('.gutter'));
	const mark = /** @type {HTMLElement} */ (root.querySelector('.mark'));
	let lineCount = 0;
	/** @type {number | null} */
	let marked = null;
	// After Escape, Tab moves focus out as usual, so the editor is no keyboard trap.
	let tabLeaves = false;

	function renumber() {
		const count = textarea.value.split('\n').length;
		if (count !== lineCount) {
			lineCount = count;
			const lines = [];
			for (let i = 1; i <= count; i++) {
				const line = document.createElement('span');
				line.textContent = String(i);
				if (i === marked) line.className = 'marked';
				lines.push(line);
			}
			gutter.replaceChildren(...lines);
		}
		sync();
	}

	/** Keeps the numbers and the band level with the text as it scrolls. */
	function sync() {
		gutter.style.transform = `translateY(${-textarea.scrollTop}px)`;
		if (marked === null) return;
		const style = getComputedStyle(textarea);
		const lineHeight = parseFloat(style.lineHeight);
		mark.style.top = `${parseFloat(style.paddingTop) + (marked - 1) * lineHeight - textarea.scrollTop}px`;
		mark.style.height = `${lineHeight}px`;
	}

	/**
	 * Replaces the selection with `text` through the browser's editing command, so Undo still works.
	 * @param {string} text
	 */
	function insert(text) {
		if (!document.execCommand?.('insertText', false, text)) {
			textarea.setRangeText(text, textarea.selectionStart, textarea.selectionEnd, 'end');
			textarea.dispatchEvent(new Event('input'));
		}
	}

	/** @param {boolean} outdent */
	function indent(outdent) {
		const { value, selectionStart, selectionEnd } = textarea;
		if (!outdent && !value.slice(selectionStart, selectionEnd).includes('\n')) return insert('\t');
		const from = value.lastIndexOf('\n', selectionStart - 1) + 1;
		const to = selectionEnd > selectionStart && value[selectionEnd - 1] === '\n' ? selectionEnd - 1 : selectionEnd;
		const block = value.slice(from, to);
		const changed = block
			.split('\n')
			.map((line) => (outdent ? line.replace(/^(\t| {1,2})/, '') : `\t${line}`))
			.join('\n');
		textarea.setSelectionRange(from, to);
		insert(changed);
		textarea.setSelectionRange(from, from + changed.length);
	}

	textarea.addEventListener('keydown', (event) => {
		if (event.key === 'Escape') {
			tabLeaves = true;
			return;
		}
		if (event.key === 'Tab' && !event.ctrlKey && !event.altKey && !event.metaKey) {
			if (tabLeaves) return;
			event.preventDefault();
			indent(event.shiftKey);
			return;
		}
		tabLeaves = false;
		if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
			event.preventDefault();
			options.onSubmit?.();
		} else if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.isComposing) {
			const { value, selectionStart } = textarea;
			const line = value.slice(value.lastIndexOf('\n', selectionStart - 1) + 1, selectionStart);
			const [lead] = /^[ \t]*/.exec(line) ?? [''];
			event.preventDefault();
			insert(`\n${lead}${/[{([]\s*$/.test(line) ? '\t' : ''}`);
		}
	});
	textarea.addEventListener('input', () => {
		clearMark();
		renumber();
	});
	textarea.addEventListener('scroll', sync);
	new ResizeObserver(sync).observe(textarea);

	function clearMark() {
		if (marked === null) return;
		gutter.children[marked - 1]?.classList.remove('marked');
		marked = null;
		mark.hidden = true;
	}

	renumber();
	return {
		textarea,
		get value() {
			return textarea.value;
		},
		set value(text) {
			textarea.value = text;
			clearMark();
			textarea.scrollTop = 0;
			renumber();
		},
		/**
		 * Marks a line (1-based) until the text changes: its number and a band behind it.
		 * @param {number} line
		 */
		markLine(line) {
			clearMark();
			marked = Math.min(Math.max(1, line), lineCount);
			gutter.children[marked - 1]?.classList.add('marked');
			mark.hidden = false;
			sync();
		},
		clearMark,
		/**
		 * Puts the caret at a line (1-based) and character column (0-based) and scrolls it into view.
		 * @param {number} line
		 * @param {number} column
		 */
		focusAt(line, column) {
			const lines = textarea.value.split('\n');
			let offset = 0;
			for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
			offset += Math.min(column, lines[line - 1]?.length ?? 0);
			textarea.focus();
			textarea.setSelectionRange(offset, offset);
			const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight);
			const top = (line - 1) * lineHeight;
			if (top < textarea.scrollTop || top > textarea.scrollTop + textarea.clientHeight - 2 * lineHeight)
				textarea.scrollTop = Math.max(0, top - textarea.clientHeight / 3);
		},
	};
}
