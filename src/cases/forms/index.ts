// Importing a form module registers it.
import './reference-review.form';
import './vote.form';

export { registerForm, validateDecision } from './form-registry';
