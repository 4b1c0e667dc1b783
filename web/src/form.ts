/**
 * A config form built from an experiment's JSON Schema: every control is a schema field, named by its dotted path
 * (e.g. `attack.epsilons`), so a link, a test or a person can address it. Lists of numbers are typed comma-separated;
 * anything richer (a list of model specs) is edited as JSON. The worker validates the whole config on run, and its
 * error names the field.
 */
import { LitElement, html, nothing, type TemplateResult } from "lit";
import type { JsonSchema } from "./protocol.js";
import { parseNumberList } from "./form-values.js";

type Json = Record<string, unknown>;

function typeOf(schema: JsonSchema): string | undefined {
  return Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
}

function setPath(root: Json, path: string[], value: unknown): Json {
  const [head, ...rest] = path;
  const copy: Json = { ...root };
  copy[head!] = rest.length ? setPath((root[head!] as Json) ?? {}, rest, value) : value;
  return copy;
}

export class QuirkForm extends LitElement {
  static override properties = { schema: { attribute: false }, value: { attribute: false }, disabled: { type: Boolean } };
  declare schema: JsonSchema | null;
  declare value: Json;
  declare disabled: boolean;
  private invalid = new Map<string, string>();

  constructor() {
    super();
    this.schema = null;
    this.value = {};
    this.disabled = false;
  }

  protected override createRenderRoot() {
    return this; // page styles apply; tests address controls by name
  }

  private change(path: string[], value: unknown): void {
    this.value = setPath(this.value, path, value);
    this.invalid.delete(path.join("."));
    this.dispatchEvent(new CustomEvent("config-change", { detail: this.value, bubbles: true }));
  }

  private fail(path: string[], message: string): void {
    this.invalid.set(path.join("."), message);
    this.requestUpdate();
  }

  /** Fields whose text could not be read; a run must wait until they are fixed. */
  get errors(): string[] {
    return [...this.invalid].map(([field, message]) => `${field}: ${message}`);
  }

  override render() {
    if (!this.schema?.properties) return nothing;
    return html`<div class="form">${this.fields(this.schema, this.value, [])}</div>`;
  }

  private fields(schema: JsonSchema, value: Json, path: string[]): TemplateResult[] {
    return Object.entries(schema.properties ?? {}).map(([key, child]) => this.field(key, child, value?.[key], [...path, key]));
  }

  private field(key: string, schema: JsonSchema, value: unknown, path: string[]): TemplateResult {
    const name = path.join(".");
    const type = typeOf(schema);
    const error = this.invalid.get(name);
    const label = (control: TemplateResult) =>
      html`<label class="field ${error ? "bad" : ""}" title=${schema.description ?? name}><span>${key}</span>${control}${error ? html`<em>${error}</em>` : nothing}</label>`;
    if (type === "object" && schema.properties) {
      return html`<fieldset><legend>${key}</legend>${this.fields(schema, (value as Json) ?? {}, path)}</fieldset>`;
    }
    if (schema.enum) {
      return label(html`<select name=${name} ?disabled=${this.disabled} @change=${(e: Event) => this.change(path, (e.target as HTMLSelectElement).value)}>
        ${schema.enum.map((option) => html`<option .value=${String(option)} ?selected=${option === value}>${String(option)}</option>`)}
      </select>`);
    }
    if (type === "boolean") {
      return label(html`<input type="checkbox" name=${name} ?disabled=${this.disabled} .checked=${value === true} @change=${(e: Event) => this.change(path, (e.target as HTMLInputElement).checked)} />`);
    }
    if (type === "integer" || type === "number") {
      return label(html`<input type="number" name=${name} ?disabled=${this.disabled} step=${type === "integer" ? "1" : "any"}
        min=${schema.minimum ?? schema.exclusiveMinimum ?? nothing} max=${schema.maximum ?? schema.exclusiveMaximum ?? nothing} .value=${value === undefined ? "" : String(value)}
        @change=${(e: Event) => {
          const n = Number((e.target as HTMLInputElement).value);
          if (!Number.isFinite(n) || (type === "integer" && !Number.isInteger(n))) this.fail(path, `enter ${type === "integer" ? "an integer" : "a number"}`);
          else this.change(path, n);
        }} />`);
    }
    if (type === "string") {
      return label(html`<input type="text" name=${name} ?disabled=${this.disabled} .value=${value === undefined ? "" : String(value)} @change=${(e: Event) => this.change(path, (e.target as HTMLInputElement).value)} />`);
    }
    const itemType = schema.items ? typeOf(schema.items) : undefined;
    if (type === "array" && (itemType === "number" || itemType === "integer")) {
      return label(html`<input type="text" name=${name} ?disabled=${this.disabled} .value=${Array.isArray(value) ? value.join(", ") : ""}
        @change=${(e: Event) => {
          try {
            this.change(path, parseNumberList((e.target as HTMLInputElement).value, itemType === "integer"));
          } catch (error) {
            this.fail(path, (error as Error).message);
          }
        }} />`);
    }
    return label(html`<textarea name=${name} rows="4" ?disabled=${this.disabled} .value=${JSON.stringify(value, null, 1)}
      @change=${(e: Event) => {
        try {
          this.change(path, JSON.parse((e.target as HTMLTextAreaElement).value));
        } catch (error) {
          this.fail(path, `not valid JSON (${(error as Error).message})`);
        }
      }}></textarea>`);
  }
}
customElements.define("quirk-form", QuirkForm);
