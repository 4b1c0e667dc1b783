/**
 * <quirk-lab>: the browser lab's shell. One tab per property; each runs that property's experiments (from
 * src/phenomena, in the worker) with a schema-built form, live views while it runs, then the verdict, the report's
 * figures (the same chart code as the CLI's reports), images, exports, and for adversarial runs the epsilon slider.
 * The URL hash holds experiment, seed, backend and config: a link re-runs exactly.
 */
import { describeThresholdChanges } from "../../src/phenomena/assess.js";
import { formatPaperValue, RECALLED_NOTE } from "../../src/phenomena/paper-figures.js";
import { LitElement, html, nothing } from "lit";
import { renderFigure } from "../../src/report/charts.js";
import type { BackendInfo, WebBackendChoice } from "../../src/engine/backend.js";
import type { BundledDataset } from "../../src/data/fetch-source.js";
import type { ProgressUpdate } from "../../src/phenomena/experiment.js";
import { LabClient } from "./client.js";
import type { CatalogEntry, FromWorker, LabImage, RunResult, SavedModel } from "./protocol.js";
import { DigitPad, drawInspection } from "./inspector.js";
import { decodeHash, encodeHash } from "./hash.js";
import { deepMerge } from "../../src/core/merge.js";
import { LiveViews } from "./live.js";
import { PROPERTIES } from "./properties.js";
import { download, svgText, svgToPng } from "./export.js";
import { drawTriplets } from "./fgsm-explorer.js";
import type { QuirkForm } from "./form.js";
import "./form.js";

interface PanelState {
  experiment: string;
  preset: string;
  seed: number;
  config: Record<string, unknown>;
  progress?: ProgressUpdate;
  live?: LiveViews;
  result?: RunResult;
  images: { title: string; caption: string; url: string }[];
  models: SavedModel[];
  error?: string;
}

type FgsmReply = Extract<FromWorker, { kind: "fgsm" }>;

const BACKENDS: WebBackendChoice[] = ["auto", "webgl", "wasm", "cpu"];
/** Properties whose panel offers the inspector once a run has saved a model. */
const INSPECTED = ["visualization", "foundation"];

export class QuirkLab extends LitElement {
  private client: LabClient;
  private backendChoice: WebBackendChoice = "auto";
  private backend: BackendInfo | null = null;
  private catalog: CatalogEntry[] = [];
  private datasets: BundledDataset[] = [];
  private property = PROPERTIES[0]!.id;
  private panels = new Map<string, PanelState>();
  private running: string | null = null;
  private status = "starting the lab's worker…";
  private fatal = "";
  private fgsm: { model: string; epsilon: number; reply?: FgsmReply; busy: boolean } = { model: "", epsilon: 0.1, busy: false };
  private throughput = "";
  /** The model dropped into the Inspect tab, as the worker read it. */
  private dropped: { ref: string; description: string } | null = null;
  private throughputValue = 0;
  /** The inspector: draw a digit or step through test digits, see each layer (properties that look inside). */
  private inspect = {
    model: "",
    testIndex: 0,
    host: Object.assign(document.createElement("div"), { className: "inspection" }),
    pad: new DigitPad((pixels) => this.requestInspect({ pixels })),
  };

  constructor() {
    super();
    const link = decodeHash(location.hash);
    if (link.backend && (BACKENDS as string[]).includes(link.backend)) this.backendChoice = link.backend as WebBackendChoice;
    this.client = new LabClient(this.backendChoice);
    this.client.on((m) => this.onMessage(m));
  }

  protected override createRenderRoot() {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.boot();
  }

  private async boot(): Promise<void> {
    try {
      const ready = await this.client.start(this.backendChoice);
      this.backend = ready.backend;
      this.catalog = ready.catalog;
      this.datasets = ready.datasets;
      this.status = "";
      this.applyLink();
    } catch (error) {
      this.fatal = (error as Error).message;
    }
    this.requestUpdate();
  }

  /** Opens the experiment, seed and config a link names; reports what it could not use instead of guessing. */
  private applyLink(): void {
    const link = decodeHash(location.hash);
    const entry = link.experiment ? this.catalog.find((e) => e.id === link.experiment) : undefined;
    if (link.experiment && !entry) link.errors.push(`the link names an unknown experiment "${link.experiment}"`);
    if (entry) {
      this.property = entry.property;
      const state = this.panelFor(entry.property, entry.id);
      if (link.preset && !entry.presets[link.preset]) link.errors.push(`${entry.id} has no preset "${link.preset}"`);
      const preset = link.preset && entry.presets[link.preset] ? link.preset : link.config ? "standard" : state.preset;
      state.preset = preset;
      state.config = structuredClone(entry.presets[preset] ?? state.config);
      if (link.seed !== undefined) state.seed = link.seed;
      if (link.config) {
        // a link may hold a whole config or only the fields it changes, over its preset (standard when it names none)
        state.config = deepMerge(state.config, link.config);
        state.preset = "custom";
      }
    }
    if (link.errors.length) this.status = `link: ${link.errors.join("; ")}`;
  }

  private experimentsOf(property: string): CatalogEntry[] {
    return this.catalog.filter((e) => e.property === property);
  }

  private panelFor(property: string, experiment?: string): PanelState {
    let state = this.panels.get(property);
    const id = experiment ?? state?.experiment ?? this.experimentsOf(property)[0]?.id ?? "";
    if (!state || state.experiment !== id) {
      const entry = this.catalog.find((e) => e.id === id);
      const preset = entry?.presets.quick ? "quick" : "standard";
      state = { experiment: id, preset, seed: state?.seed ?? 1, config: structuredClone(entry?.presets[preset] ?? {}), images: [], models: [] };
      this.panels.set(property, state);
    }
    return state;
  }

  private syncHash(state: PanelState): void {
    const hash = encodeHash({ experiment: state.experiment, seed: state.seed, config: state.config, ...(this.backendChoice !== "auto" ? { backend: this.backendChoice } : {}) });
    history.replaceState(null, "", hash);
  }

  private onMessage(m: FromWorker): void {
    const state = this.running ? this.panels.get(this.running) : undefined;
    switch (m.kind) {
      case "progress":
        if (state) state.progress = m.update;
        break;
      case "event":
        state?.live?.add(m.event);
        return; // live views draw themselves
      case "done":
        if (!state) return;
        state.result = m.result;
        state.images.forEach((i) => URL.revokeObjectURL(i.url));
        state.images = m.images.map((i: LabImage) => ({ title: i.title, caption: i.caption, url: URL.createObjectURL(new Blob([i.png as BlobPart], { type: "image/png" })) }));
        state.models = m.models;
        this.running = null;
        if (m.models.length) {
          const folders = m.models.map((x) => x.folder);
          this.fgsm = { model: folders.includes(this.fgsm.model) ? this.fgsm.model : folders.at(-1)!, epsilon: this.fgsm.epsilon, busy: false };
          this.inspect.model = folders.at(-1)!;
          this.inspect.testIndex = 0;
          this.inspect.host.replaceChildren();
        }
        if (state.models.length && this.property === "adversarial") this.requestFgsm();
        if (state.models.length && INSPECTED.includes(this.property)) this.requestInspect({ testIndex: 0 });
        break;
      case "inspect":
        drawInspection(this.inspect.host, m);
        this.inspect.host.dataset.predicted = String(m.probabilities.indexOf(Math.max(...m.probabilities)));
        return;
      case "fgsm":
        this.fgsm = { ...this.fgsm, reply: m, busy: false };
        break;
      case "model-loaded": {
        this.dropped = { ref: m.ref, description: m.description };
        const state = this.panelFor("inspect");
        state.config = { ...state.config, model: m.ref };
        state.error = undefined;
        break;
      }
      case "throughput":
        this.throughputValue = m.examplesPerSecond;
        this.throughput = `MLP workload (a), 784-256-256-10, batch 128: ${Math.round(m.examplesPerSecond).toLocaleString("en")} examples/s on ${m.backend} (${m.steps} steps in ${m.seconds.toFixed(1)} s)`;
        break;
      case "error":
        if (this.running && state) {
          state.error = m.hint ? `${m.message}\n${m.hint}` : m.message;
          this.running = null;
        } else {
          this.status = m.message;
          this.fgsm.busy = false;
        }
        break;
      default:
        return;
    }
    this.requestUpdate();
  }

  private run(): void {
    const state = this.panelFor(this.property);
    const form = this.querySelector<QuirkForm>("quirk-form");
    const errors = form?.errors ?? [];
    if (errors.length) {
      state.error = `fix these fields first: ${errors.join("; ")}`;
      this.requestUpdate();
      return;
    }
    state.error = undefined;
    state.result = undefined;
    state.progress = undefined;
    state.live = new LiveViews();
    state.models = [];
    this.fgsm.reply = undefined;
    this.running = this.property;
    this.syncHash(state);
    this.client.send({ kind: "run", experiment: state.experiment, config: state.config, seed: state.seed });
    this.requestUpdate();
  }

  private async stop(): Promise<void> {
    const state = this.running ? this.panels.get(this.running) : undefined;
    this.running = null;
    if (state) state.error = "stopped";
    this.status = "restarting the worker…";
    this.requestUpdate();
    await this.client.restart();
    this.status = "";
    this.requestUpdate();
  }

  private async switchBackend(choice: WebBackendChoice): Promise<void> {
    this.backendChoice = choice;
    this.running = null;
    this.status = `starting ${choice}…`;
    this.requestUpdate();
    try {
      this.backend = (await this.client.start(choice)).backend;
      this.status = "";
    } catch (error) {
      this.status = (error as Error).message;
    }
    this.syncHash(this.panelFor(this.property));
    this.requestUpdate();
  }

  private requestInspect(input: { pixels: Float32Array } | { testIndex: number }): void {
    if (!this.inspect.model || this.running) return;
    this.client.send({ kind: "inspect", model: this.inspect.model, input });
  }

  private requestFgsm(): void {
    if (!this.fgsm.model) return;
    this.fgsm.busy = true;
    this.client.send({ kind: "fgsm", model: this.fgsm.model, epsilon: this.fgsm.epsilon, count: 8 });
  }

  override updated(): void {
    const canvas = this.querySelector<HTMLCanvasElement>("canvas.triplets");
    if (canvas && this.fgsm.reply) drawTriplets(canvas, this.fgsm.reply);
  }

  override render() {
    return html`
      <header>
        <h1>quirklab <small>the lab</small></h1>
        <label>backend
          <select name="backend" @change=${(e: Event) => this.switchBackend((e.target as HTMLSelectElement).value as WebBackendChoice)}>
            ${BACKENDS.map((b) => html`<option .value=${b} ?selected=${b === this.backendChoice}>${b}</option>`)}
          </select>
        </label>
        <span class="backend" data-backend=${this.backend?.name ?? ""}>${this.backend ? `running on ${this.backend.name}: ${this.backend.reason}` : ""}</span>
        <button data-action="throughput" ?disabled=${!this.backend || this.running !== null} @click=${() => this.client.send({ kind: "throughput", workload: "a", seconds: 5 })}>measure speed</button>
        <span class="throughput" data-examples-per-second=${this.throughputValue || ""}>${this.throughput}</span>
      </header>
      ${this.fatal ? html`<p class="error fatal">${this.fatal}</p>` : nothing}
      ${this.status ? html`<p class="status">${this.status}</p>` : nothing}
      <nav>
        ${PROPERTIES.map(
          (p) => html`<button class=${p.id === this.property ? "active" : ""} data-property=${p.id} @click=${() => {
            this.property = p.id;
            if (this.catalog.length) this.syncHash(this.panelFor(p.id));
            this.requestUpdate();
          }}>${p.label}</button>`,
        )}
      </nav>
      ${this.catalog.length ? this.panel() : nothing}
      <footer>${this.datasets.map((d) => html`<span>${d.origin}</span>`)} · MNIST © LeCun, Cortes, Burges (CC BY-SA 3.0); Fashion-MNIST © Zalando (MIT).</footer>
    `;
  }

  private panel() {
    const property = PROPERTIES.find((p) => p.id === this.property)!;
    const state = this.panelFor(this.property);
    const entry = this.catalog.find((e) => e.id === state.experiment);
    const busy = this.running !== null;
    const mine = this.running === this.property;
    return html`<section class="panel" data-panel=${property.id}>
      <h2>${property.title}</h2>
      <div class="controls">
        <label>experiment
          <select name="experiment" ?disabled=${busy} @change=${(e: Event) => {
            const s = this.panelFor(this.property, (e.target as HTMLSelectElement).value);
            this.syncHash(s);
            this.requestUpdate();
          }}>
            ${this.experimentsOf(this.property).map((x) => html`<option .value=${x.id} ?selected=${x.id === state.experiment}>${x.title}</option>`)}
          </select>
        </label>
        <label>preset
          <select name="preset" ?disabled=${busy} @change=${(e: Event) => {
            const preset = (e.target as HTMLSelectElement).value;
            if (entry?.presets[preset]) {
              state.preset = preset;
              state.config = structuredClone(entry.presets[preset]!);
              this.syncHash(state);
              this.requestUpdate();
            }
          }}>
            ${[...Object.keys(entry?.presets ?? {}), ...(state.preset === "custom" ? ["custom"] : [])].map((p) => html`<option .value=${p} ?selected=${p === state.preset}>${p}</option>`)}
          </select>
        </label>
        <label>seed <input type="number" name="seed" min="0" step="1" .value=${String(state.seed)} ?disabled=${busy} @change=${(e: Event) => {
          const n = Number((e.target as HTMLInputElement).value);
          if (Number.isInteger(n) && n >= 0 && n <= 0xffffffff) {
            state.seed = n;
            this.syncHash(state);
          }
        }} /></label>
        ${mine ? html`<button data-action="stop" @click=${() => this.stop()}>stop</button>` : html`<button data-action="run" class="primary" ?disabled=${busy || !this.backend} @click=${() => this.run()}>run</button>`}
      </div>
      ${property.id === "inspect" ? this.dropZone(busy) : nothing}
      ${entry ? html`<p class="description">${entry.description}</p>${entry.claim ? html`<p class="claim">Claim: ${entry.claim.statement} <cite>${entry.claim.citation}</cite></p>` : nothing}` : nothing}
      <details class="config" ?open=${!state.result}>
        <summary>config (every field of the schema)</summary>
        <quirk-form .schema=${entry?.schema ?? null} .value=${state.config} .disabled=${busy} @config-change=${(e: CustomEvent) => {
          state.config = e.detail as Record<string, unknown>;
          state.preset = "custom";
          this.syncHash(state);
        }}></quirk-form>
      </details>
      ${state.progress && mine ? html`<div class="progress"><progress max=${state.progress.total} value=${state.progress.step}></progress> ${state.progress.phase} ${state.progress.step}/${state.progress.total} ${state.progress.detail ?? ""}</div>` : nothing}
      ${state.error ? html`<pre class="error">${state.error}</pre>` : nothing}
      ${state.live ? state.live.element : nothing}
      ${state.result ? this.result(state) : nothing}
    </section>`;
  }

  private result(state: PanelState) {
    const r = state.result!;
    const v = r.verdict;
    return html`<div class="result">
      ${v
        ? html`<div class="verdict ${v.reproduced ? "yes" : "no"}" data-verdict=${v.reproduced ? "reproduced" : "not-reproduced"}>
            <strong>${v.reproduced ? "reproduced" : "not reproduced"}</strong> — measured ${v.measured.toPrecision(3)} against threshold ${v.threshold.toPrecision(3)}
            <p>${v.note}</p>
            ${r.changedThresholds?.length
              ? html`<p data-changed-thresholds>Judged against thresholds this run's preset or settings changed: ${describeThresholdChanges(r.changedThresholds, r.reproducedAtOwnThresholds)}.</p>`
              : nothing}
          </div>`
        : html`<div class="verdict none" data-verdict="none">finished (this experiment measures; it has no claim to judge)</div>`}
      ${r.interpretation ? html`<p class="interpretation">${r.interpretation}</p>` : nothing}
      ${r.findings?.length ? html`<div class="findings">${r.findings.map((f) => html`<h4>${f.heading}</h4><p data-finding=${f.heading}>${f.text}</p>`)}</div>` : nothing}
      ${r.paperFigures?.length
        ? html`<table class="paper-figures" data-paper-figures>
            <tr><th>figure</th><th>paper</th><th>this run</th><th>source</th></tr>
            ${r.paperFigures.map((p) => html`<tr><td>${p.label}</td><td>${formatPaperValue(p, "paper")}</td><td>${formatPaperValue(p, "ours")}</td><td>${p.source}${p.note ? html`<br /><small>${p.note}</small>` : nothing}</td></tr>`)}
          </table>${r.paperFigures.some((p) => p.recalled) ? html`<p class="meta">${RECALLED_NOTE}</p>` : nothing}`
        : nothing}
      <p class="meta">seed ${r.seed} · ${r.backend} · ${r.timing.seconds?.toFixed(1)} s
        <button data-action="export-json" @click=${() => download(`${r.experiment}-seed${r.seed}.json`, new Blob([JSON.stringify(r, null, 1)], { type: "application/json" }))}>export JSON</button>
        <button data-action="copy-link" @click=${() => navigator.clipboard?.writeText(location.href)}>copy link</button>
      </p>
      ${state.models.length && this.property === "adversarial" ? this.fgsmExplorer(state) : nothing}
      ${state.models.length && INSPECTED.includes(this.property) ? this.inspector(state) : nothing}
      <div class="figures">${r.figures.map((fig) => this.figure(fig, r))}</div>
      <div class="images">${state.images.map((i) => html`<figure><img src=${i.url} alt=${i.title} /><figcaption><b>${i.title}</b> ${i.caption}</figcaption></figure>`)}</div>
      ${r.deviations ? html`<details><summary>known deviations from the paper</summary><p>${r.deviations}</p></details>` : nothing}
      <details><summary>every measured figure</summary><table class="metrics">${Object.entries(r.metrics).map(([k, value]) => html`<tr><td>${k}</td><td>${Number.isInteger(value) ? value : value.toPrecision(4)}</td></tr>`)}</table></details>
    </div>`;
  }

  /** Inspect's model: files dropped on the zone or picked with the input go to the worker, which reads them. */
  private dropZone(busy: boolean) {
    const send = async (list: FileList | null | undefined) => {
      if (!list?.length) return;
      const files = await Promise.all(Array.from(list, async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
      this.dropped = null;
      this.client.send({ kind: "model-files", files });
      this.requestUpdate();
    };
    return html`<div class="dropzone" data-dropzone
      @dragover=${(e: DragEvent) => e.preventDefault()}
      @drop=${(e: DragEvent) => {
        e.preventDefault();
        void send(e.dataTransfer?.files);
      }}>
      <p>Drop your model here: a <code>model.json</code> with its weight files (tfjs, or Keras through the tensorflowjs converter), or an <code>.onnx</code> file (torch.onnx.export). It stays in this page.</p>
      <input type="file" name="model-files" multiple accept=".json,.bin,.onnx" ?disabled=${busy} @change=${(e: Event) => void send((e.target as HTMLInputElement).files)} />
      ${this.dropped ? html`<p class="loaded" data-model-loaded=${this.dropped.ref}>loaded: ${this.dropped.description}</p>` : html`<p class="meta">no model yet: the inspection needs one</p>`}
    </div>`;
  }

  private drawn = new WeakMap<object, SVGSVGElement>();

  private figure(fig: RunResult["figures"][number], r: RunResult) {
    let svg = this.drawn.get(fig);
    if (!svg) {
      svg = renderFigure(fig, document) as unknown as SVGSVGElement;
      this.drawn.set(fig, svg);
    }
    const name = `${r.experiment}-${fig.id}`;
    return html`<figure class="chart" data-figure=${fig.id}>${svg}
      <figcaption><b>${fig.title}</b> ${fig.caption ?? ""}
        <button @click=${() => download(`${name}.svg`, new Blob([svgText(svg!)], { type: "image/svg+xml" }))}>SVG</button>
        <button @click=${async () => download(`${name}.png`, await svgToPng(svg!))}>PNG</button>
      </figcaption></figure>`;
  }

  private inspector(state: PanelState) {
    const step = (delta: number) => {
      this.inspect.testIndex += delta;
      this.requestInspect({ testIndex: this.inspect.testIndex });
    };
    return html`<div class="explorer" data-explorer="inspect">
      <h3>Look inside: draw a digit, or step through the test digits</h3>
      <div class="inspector">
        <div>
          ${this.inspect.pad.element}
          <div>
            <button data-action="clear-pad" @click=${() => this.inspect.pad.clear()}>clear</button>
            <button data-action="prev-digit" @click=${() => step(-1)}>◀ test digit</button>
            <button data-action="next-digit" @click=${() => step(1)}>test digit ▶</button>
            ${state.models.length > 1
              ? html`<select name="inspect-model" @change=${(e: Event) => {
                  this.inspect.model = (e.target as HTMLSelectElement).value;
                  this.requestInspect({ testIndex: this.inspect.testIndex });
                }}>${state.models.map((m) => html`<option .value=${m.folder} ?selected=${m.folder === this.inspect.model}>${m.name}</option>`)}</select>`
              : nothing}
          </div>
        </div>
        ${this.inspect.host}
      </div>
    </div>`;
  }

  private fgsmExplorer(state: PanelState) {
    return html`<div class="explorer" data-explorer="fgsm">
      <h3>Try it: FGSM on the trained models, at any epsilon</h3>
      <label>model <select name="fgsm-model" @change=${(e: Event) => {
        this.fgsm.model = (e.target as HTMLSelectElement).value;
        this.requestFgsm();
        this.requestUpdate();
      }}>${state.models.map((m) => html`<option .value=${m.folder} ?selected=${m.folder === this.fgsm.model}>${m.name}</option>`)}</select></label>
      <label>ε <input type="range" name="epsilon" min="0" max="0.3" step="0.01" .value=${String(this.fgsm.epsilon)} @change=${(e: Event) => {
        this.fgsm.epsilon = Number((e.target as HTMLInputElement).value);
        this.requestFgsm();
        this.requestUpdate();
      }} /> ${this.fgsm.epsilon.toFixed(2)}</label>
      ${this.fgsm.busy ? html`<span>computing…</span>` : nothing}
      <canvas class="triplets" data-epsilon=${this.fgsm.reply?.epsilon ?? ""}></canvas>
    </div>`;
  }
}
customElements.define("quirk-lab", QuirkLab);
