// Importing a form module registers it.
import './reference-review.form';

export { registerForm, validateDecision } from './form-registry';
