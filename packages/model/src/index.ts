export * from './glossary';
export * from './gang';
