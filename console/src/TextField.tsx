import { defaultFormFieldContext, FormFieldProvider, getLgIds } from '@leafygreen-ui/form-field';
import TextInput, { type TextInputProps } from '@leafygreen-ui/text-input';

/**
 * The console's text field: LeafyGreen's TextInput with an `id` it must have, and label and
 * description ids derived from that id from the first render on.
 *
 * TextInput allocates its label's id in an effect, under a prefix it reads from the form-field
 * context around it; with the default context every field's input is labelled by the same
 * `lg-form_field-label-undefined` until the effects run, and a screen reader or a label lookup in
 * that instant finds one label for two fields. A context rooted at the field's own `id` keeps the
 * ids distinct throughout.
 */
export default function TextField(props: TextInputProps & { id: string }) {
  return (
    <FormFieldProvider value={{ ...defaultFormFieldContext, lgIds: getLgIds(`lg-${props.id}`) }}>
      <TextInput {...props} />
    </FormFieldProvider>
  );
}
