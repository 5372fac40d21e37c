import { strict as assert } from 'node:assert';
import { DEFAULT_CHAT_TEMPLATE, MetricRegistry, renderChat } from '@recur/serve';

describe('recur serve: chat template and metric format', () => {
  it('renders messages with the default template and a configured one, without evaluating anything', () => {
    const messages = [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'Hi {name}' },
      { role: 'assistant' as const, content: [{ type: 'text' as const, text: 'Hello' }] },
      { role: 'user' as const, content: 'And ${process.exit()}?', name: 'ann' },
    ];
    assert.equal(
      renderChat(messages, DEFAULT_CHAT_TEMPLATE),
      'Be brief.\n\nUser: Hi {name}\nAssistant: Hello\nUser: And ${process.exit()}?\nAssistant:',
    );
    const custom = {
      ...DEFAULT_CHAT_TEMPLATE,
      user: '<{name}> {content}\n',
      assistant: '<bot> {content}\n',
      generationPrompt: '<bot>',
    };
    assert.equal(
      renderChat(messages, custom),
      'Be brief.\n\n<user> Hi {name}\n<bot> Hello\n<ann> And ${process.exit()}?\n<bot>',
    );
  });

  it('writes the Prometheus text format: HELP, TYPE, labels escaped, cumulative buckets', () => {
    const registry = new MetricRegistry();
    registry.counter('c_total', 'A counter.').inc({ route: 'a"b\\c\nd' }, 2);
    const h = registry.histogram('h_seconds', 'A histogram.', [0.1, 1]);
    h.observe({ route: 'x' }, 0.05);
    h.observe({ route: 'x' }, 0.5);
    h.observe({ route: 'x' }, 5);
    registry.gauge('g', 'A gauge.').collect({}, () => 7);
    assert.equal(
      registry.render(),
      [
        '# HELP c_total A counter.',
        '# TYPE c_total counter',
        'c_total{route="a\\"b\\\\c\\nd"} 2',
        '# HELP h_seconds A histogram.',
        '# TYPE h_seconds histogram',
        'h_seconds_bucket{route="x",le="0.1"} 1',
        'h_seconds_bucket{route="x",le="1"} 2',
        'h_seconds_bucket{route="x",le="+Inf"} 3',
        'h_seconds_sum{route="x"} 5.55',
        'h_seconds_count{route="x"} 3',
        '# HELP g A gauge.',
        '# TYPE g gauge',
        'g 7',
        '',
      ].join('\n'),
    );
    assert.throws(() => registry.counter('c_total', 'again'));
  });
});
