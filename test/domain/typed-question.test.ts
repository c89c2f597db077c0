// Whether a short text typed at a tap step asks something (then the knowledge base answers it) or
// answers the step. Found by attack: answers that start with a question word or an English
// auxiliary were sent to the knowledge base.
import { describe, expect, it } from 'vitest';
import { isClearlyAQuestion } from '../../src/domain/typed-question.js';

describe('isClearlyAQuestion: short answers are no questions', () => {
  it('"anyone", "as it is", "whenever" in three languages', () => {
    for (const text of ['кто угодно', 'как есть', 'когда угодно', 'где угодно', 'как удобно', 'когда удобно', 'кто-нибудь', 'как получится']) expect(isClearlyAQuestion(text), text).toBe(false);
    for (const text of ['қалай болса да', 'кім болса да', 'қашан болса да', 'қайда болса да', 'қалай болсын']) expect(isClearlyAQuestion(text), text).toBe(false);
    for (const text of ['whoever is free', 'when possible', 'where needed', 'whatever works']) expect(isClearlyAQuestion(text), text).toBe(false);
  });

  it('an English auxiliary followed by no subject says something: "can drive", "is ok", "will do"', () => {
    for (const text of ['can drive', 'is ok', 'will do', 'can help', 'am free', 'should be fine']) expect(isClearlyAQuestion(text), text).toBe(false);
  });

  it('still questions: a subject after the auxiliary, a question word with more to ask, a question mark', () => {
    for (const text of ['can I drive', 'is it free', 'do we need papers', 'how to apply', 'как оформить инвалидность', 'қалай тіркелемін', 'кто угодно?', 'что делать']) expect(isClearlyAQuestion(text), text).toBe(true);
  });

  it('"не знаю" and "білмеймін" are answers', () => {
    for (const text of ['не знаю', 'білмеймін', 'I do not know', 'dont know']) expect(isClearlyAQuestion(text), text).toBe(false);
  });

  it('found by attack: Kazakh asks "what is" and "who" after the thing; asking to be told is a question too', () => {
    for (const text of ['грант деген не', 'грант алу үшін не керек', 'микрокредитті кім алады', 'грантты қайдан алуға болады', 'грант туралы айтыңызшы']) {
      expect(isClearlyAQuestion(text), text).toBe(true);
    }
    for (const text of ['расскажите про грант', 'хочу узнать про микрокредит', 'tell me about the grant', 'I want to know about microloans']) expect(isClearlyAQuestion(text), text).toBe(true);
    for (const text of ['грантқа өтініш беремін', 'демалыс күндері кім болса да', 'хочу грант', 'I want a grant']) expect(isClearlyAQuestion(text), text).toBe(false);
  });
});

