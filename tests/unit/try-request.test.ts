// @vitest-environment happy-dom
// The pure parts of the docs' try-it blocks and the playground (demo/public):
// header lines, how a body is shown, cookie lines, matching the worker's records,
// esbuild's byte columns, and the editor's keys.
import { describe, expect, it } from 'vitest';
import { describeBody, describeCookie, parseHeaderLines, watchRecords } from '../../demo/public/try-request.js';
import { charColumn, createCodeEditor } from '../../demo/public/playground/code-editor.js';

const bytes = (text: string) => new TextEncoder().encode(text).buffer as ArrayBuffer;

describe('parseHeaderLines', () => {
	it.each([
		['', [], []],
		['Content-Type: application/json', [['Content-Type', 'application/json']], []],
		[
			'a: 1\r\n\r\n  x-b :  two words  \n',
			[
				['a', '1'],
				['x-b', 'two words'],
			],
			[],
		],
		['Authorization: Bearer a:b:c', [['Authorization', 'Bearer a:b:c']], []],
		['no colon here\nok: 1', [['ok', '1']], ['header line 1 ("no colon here") is not "Name: value"']],
		[': empty name', [], ['header line 1 (": empty name") is not "Name: value"']],
		['bad name: x', [], ['header line 1 ("bad name: x") is not "Name: value"']],
	])('%j', (text, headers, errors) => {
		expect(parseHeaderLines(text)).toEqual({ headers, errors });
	});
});

describe('describeBody', () => {
	it.each([
		['application/json', '{"a":[1,2]}', { kind: 'json', text: '{\n  "a": [\n    1,\n    2\n  ]\n}' }],
		['application/problem+json; charset=utf-8', '{"title":"x"}', { kind: 'json', text: '{\n  "title": "x"\n}' }],
		['application/json', '{not json', { kind: 'text', text: '{not json' }],
		['', '[1]', { kind: 'json', text: '[\n  1\n]' }],
		['text/plain; charset=utf-8', 'héllo', { kind: 'text', text: 'héllo' }],
		['text/html', '<!doctype html><p>x', { kind: 'text', text: '<!doctype html><p>x' }],
		['image/svg+xml', '<svg/>', { kind: 'image', type: 'image/svg+xml' }],
		['image/png', 'png', { kind: 'image', type: 'image/png' }],
		['application/octet-stream', 'abc', { kind: 'binary', size: 3 }],
		['application/json', '', { kind: 'empty' }],
	])('%s %j', (type, text, expected) => {
		expect(describeBody(type, bytes(text))).toEqual(expected);
	});
});

describe('describeCookie', () => {
	it('splits the pair from its attributes and tells HttpOnly', () => {
		expect(describeCookie('user=ada; Max-Age=3600; Path=/; HttpOnly; SameSite=Lax')).toEqual({
			pair: 'user=ada',
			attributes: ['Max-Age=3600', 'Path=/', 'HttpOnly', 'SameSite=Lax'],
			httpOnly: true,
		});
		expect(describeCookie('theme=dark')).toEqual({ pair: 'theme=dark', attributes: [], httpOnly: false });
	});
});

describe('watchRecords', () => {
	function fakeEmulator() {
		let listener: (record: unknown) => void = () => {};
		return {
			on: (_event: 'request', fn: (record: unknown) => void) => ((listener = fn), () => {}),
			emit: (url: string, extra: object = {}) => listener({ method: 'GET', url, setCookies: [], ...extra }),
		};
	}

	it('takes a record that arrived before or after the response, by URL (without its hash)', async () => {
		const emulator = fakeEmulator();
		const records = watchRecords(emulator);
		const before = records.start();
		emulator.emit('http://x/api/a');
		expect(await before.collect(['http://x/api/a#top'])).toMatchObject([{ url: 'http://x/api/a' }]);

		const after = records.start();
		setTimeout(() => emulator.emit('http://x/api/b', { status: 201 }), 10);
		expect(await after.collect(['http://x/api/b'])).toMatchObject([{ status: 201 }]);
	});

	it('keeps every record of a followed redirect, and ignores other requests', async () => {
		const emulator = fakeEmulator();
		const capture = watchRecords(emulator).start();
		emulator.emit('http://x/other');
		emulator.emit('http://x/old', { status: 301, setCookies: ['a=1'] });
		emulator.emit('http://x/new', { status: 200 });
		const list = await capture.collect(['http://x/old', 'http://x/new']);
		expect(list.map((r: { status: number }) => r.status)).toEqual([301, 200]);
	});

	it('gives up after the timeout when the worker did not answer the request', async () => {
		const capture = watchRecords(fakeEmulator()).start();
		expect(await capture.collect(['http://x/from-the-network'], 20)).toEqual([]);
	});
});

describe('charColumn', () => {
	it('turns esbuild’s UTF-8 byte column into a character offset', () => {
		// esbuild reports the `;` of this line at byte 27: é and ü take two bytes each.
		expect(charColumn('const é = "ü"; const y = ;', 27)).toBe(25);
		expect(charColumn('plain ascii', 6)).toBe(6);
		// The emoji is 4 bytes but 2 UTF-16 units: the x is at byte 11, character 9.
		expect(charColumn('emoji 😀 x', 11)).toBe(9);
	});
});

describe('createCodeEditor', () => {
	function editor(text: string) {
		document.body.innerHTML = '<div id="code"><div class="gutter"></div><div class="mark" hidden></div><textarea></textarea></div>';
		const root = document.getElementById('code')!;
		let submitted = 0;
		const ed = createCodeEditor(root, { onSubmit: () => submitted++ });
		ed.value = text;
		const key = (key: string, init: KeyboardEventInit = {}) =>
			ed.textarea.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));
		return { ed, root, key, submitted: () => submitted };
	}

	it('numbers the lines and marks one until the text changes', () => {
		const { ed, root } = editor('a\nb\nc');
		expect(root.querySelector('.gutter')!.textContent).toBe('123');
		ed.markLine(2);
		expect(root.querySelector('.gutter .marked')!.textContent).toBe('2');
		expect(root.querySelector<HTMLElement>('.mark')!.hidden).toBe(false);
		ed.textarea.dispatchEvent(new Event('input'));
		expect(root.querySelector('.gutter .marked')).toBeNull();
		expect(root.querySelector<HTMLElement>('.mark')!.hidden).toBe(true);
	});

	it('indents and outdents selected lines with Tab and Shift+Tab', () => {
		const { ed, key } = editor('one\ntwo\nthree');
		ed.textarea.setSelectionRange(0, 7);
		key('Tab');
		expect(ed.value).toBe('\tone\n\ttwo\nthree');
		ed.textarea.setSelectionRange(0, 9);
		key('Tab', { shiftKey: true });
		expect(ed.value).toBe('one\ntwo\nthree');
	});

	it('lets Tab leave after Escape, and Ctrl+Enter submits', () => {
		const { ed, key, submitted } = editor('x');
		key('Escape');
		expect(key('Tab')).toBe(true); // not prevented: focus moves on
		expect(ed.value).toBe('x');
		key('Enter', { ctrlKey: true });
		expect(submitted()).toBe(1);
	});

	it('keeps the indentation on Enter, one deeper after an opening bracket', () => {
		const { ed, key } = editor('\tif (x) {');
		ed.textarea.setSelectionRange(9, 9);
		key('Enter');
		expect(ed.value).toBe('\tif (x) {\n\t\t');
	});
});
